package org.flinkconnectors.lake.core;

import java.util.function.Supplier;

/**
 * Runs library code with the connector's class loader as the thread's context class loader. Iceberg
 * (catalog and FileIO implementations by class name) and Hadoop (file systems, codecs) look classes
 * up through the context class loader; when the connector comes from a SQL jar added to a session,
 * Flink's planner and SQL gateway threads may carry the cluster's loader instead, which cannot see
 * them ("Cannot initialize Catalog implementation ...HadoopCatalog").
 */
public final class LakeClassLoading {

    private LakeClassLoading() {}

    public static <T> T withConnectorClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(LakeClassLoading.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
