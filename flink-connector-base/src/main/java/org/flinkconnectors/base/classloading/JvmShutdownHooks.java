package org.flinkconnectors.base.classloading;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Removes the JVM shutdown hooks a class loader's code registered (Guava's exiting executors under
 * Iceberg's pools, Hadoop's shutdown hook manager): the JVM holds each hook until it exits, and
 * with it the class loader. Listing the hooks needs {@code --add-opens java.base/java.lang}, which
 * Flink's default JVM options grant; without it nothing is removed and a warning says why.
 */
final class JvmShutdownHooks {

    private static final Logger LOG = LoggerFactory.getLogger(JvmShutdownHooks.class);

    private JvmShutdownHooks() {}

    /** Returns the number of hooks removed. */
    static int removeThoseOf(Collection<ClassLoader> loaders) {
        int removed = 0;
        for (Thread hook : registered()) {
            if (ClassLoaderThreads.belongsTo(hook, loaders)) {
                try {
                    removed += Runtime.getRuntime().removeShutdownHook(hook) ? 1 : 0;
                } catch (IllegalStateException shuttingDown) {
                    break;
                }
            }
        }
        return removed;
    }

    private static List<Thread> registered() {
        try {
            Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
            Field field = hooks.getDeclaredField("hooks");
            field.setAccessible(true);
            synchronized (hooks) {
                Map<?, ?> registered = (Map<?, ?>) field.get(null);
                List<Thread> threads = new ArrayList<>();
                if (registered != null) {
                    registered.keySet().forEach(hook -> threads.add((Thread) hook));
                }
                return threads;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "Cannot list the JVM's shutdown hooks ({}), so the connector's hooks stay"
                            + " and keep its class loader; start the JVM with --add-opens"
                            + " java.base/java.lang=ALL-UNNAMED as Flink does by default.",
                    e.toString());
            return List.of();
        }
    }
}
