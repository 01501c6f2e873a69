package org.flinkconnectors.base.classloading;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which threads keep a job's class loaders reachable: by their own class, their context loader (a
 * task thread's is the job's loader wrapper), or the class of the runnable they run (a shutdown
 * hook's thread is a plain {@link Thread} whose runnable comes from the library).
 */
final class ClassLoaderThreads {

    private static final Field TARGET = targetField();

    private ClassLoaderThreads() {}

    static boolean belongsTo(Thread thread, Collection<ClassLoader> loaders) {
        return isOneOf(thread.getClass().getClassLoader(), loaders)
                || isOneOf(thread.getContextClassLoader(), loaders)
                || isOneOf(targetLoader(thread), loaders);
    }

    /** Null (the bootstrap loader) is none of them; immutable lists refuse to look it up. */
    private static boolean isOneOf(ClassLoader loader, Collection<ClassLoader> loaders) {
        return loader != null && loaders.contains(loader);
    }

    /** Names of the live threads, other than the caller, that belong to the loaders. */
    static List<String> aliveOf(Collection<ClassLoader> loaders) {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread != Thread.currentThread()
                    && thread.isAlive()
                    && belongsTo(thread, loaders)) {
                names.add(thread.getName());
            }
        }
        return names;
    }

    /**
     * Threads that only carry a loader as their context loader, such as the JDK's process reaper
     * started while a task ran a process, get the system class loader instead.
     */
    static void detachContextOf(Collection<ClassLoader> loaders) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (isOneOf(thread.getContextClassLoader(), loaders)
                    && !isOneOf(thread.getClass().getClassLoader(), loaders)
                    && !isOneOf(targetLoader(thread), loaders)) {
                thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
            }
        }
    }

    /**
     * Like {@link #detachContextOf}, for the JDK's own threads only (their class and runnable come
     * from the bootstrap loader), such as the process reaper: they serve the whole JVM, while the
     * job's threads may run on after a failover and still need its loader.
     */
    static void detachContextOfJdkThreads(Collection<ClassLoader> loaders) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (isOneOf(thread.getContextClassLoader(), loaders)
                    && thread.getClass().getClassLoader() == null
                    && targetLoader(thread) == null) {
                thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
            }
        }
    }

    private static ClassLoader targetLoader(Thread thread) {
        if (TARGET == null) {
            return null;
        }
        try {
            Object target = TARGET.get(thread);
            return target == null ? null : target.getClass().getClassLoader();
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    /** Thread's runnable; readable with {@code --add-opens java.base/java.lang}, as Flink runs. */
    private static Field targetField() {
        try {
            Field target = Thread.class.getDeclaredField("target");
            target.setAccessible(true);
            return target;
        } catch (ReflectiveOperationException | RuntimeException notOpen) {
            return null;
        }
    }
}
