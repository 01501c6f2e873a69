package org.flinkconnectors.base.classloading;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Drops a finished job's classes from the cache of Flink's SQL code generation. The cache holds
 * each generated class softly, but the class's loader is a child of the job's class-loader wrapper,
 * and the JVM records that the wrapper depends on the job's class loader: so the cache keeps the
 * whole job's classes (all of a SQL jar added with {@code ADD JAR}) until the heap, not the
 * metaspace, runs short, and a TaskManager dies of "OutOfMemoryError: Metaspace" after a few jobs.
 * Reads Flink's internal cache reflectively; where it is missing or changed, nothing happens.
 */
final class CompiledCodeCache {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledCodeCache.class);

    private static final String COMPILE_UTILS =
            "org.apache.flink.table.runtime.generated.CompileUtils";

    private CompiledCodeCache() {}

    static void forget(ClassLoader jobLoader) {
        Class<?> compileUtils;
        try {
            compileUtils = Class.forName(COMPILE_UTILS, false, jobLoader);
        } catch (ClassNotFoundException | LinkageError noTableRuntime) {
            return;
        }
        for (String cache : new String[] {"COMPILED_CLASS_CACHE", "COMPILED_EXPRESSION_CACHE"}) {
            try {
                Field field = compileUtils.getDeclaredField(cache);
                field.setAccessible(true);
                Object guavaCache = field.get(null);
                Method asMap = guavaCache.getClass().getMethod("asMap");
                asMap.setAccessible(true);
                Map<?, ?> entries = (Map<?, ?>) asMap.invoke(guavaCache);
                entries.values().removeIf(value -> loadedUnder(value, jobLoader));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Cannot clear Flink's {} of a finished job: {}", cache, e.toString());
            }
        }
    }

    /** Whether a cached class (or an expression evaluator's class) comes from under the loader. */
    private static boolean loadedUnder(Object cached, ClassLoader jobLoader) {
        Class<?> type = cached instanceof Class ? (Class<?>) cached : evaluatedClass(cached);
        for (ClassLoader loader = type == null ? null : type.getClassLoader();
                loader != null;
                loader = loader.getParent()) {
            if (loader == jobLoader) {
                return true;
            }
        }
        return false;
    }

    private static Class<?> evaluatedClass(Object evaluator) {
        try {
            Method method = evaluator.getClass().getMethod("getMethod");
            return ((Method) method.invoke(evaluator)).getDeclaringClass();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
