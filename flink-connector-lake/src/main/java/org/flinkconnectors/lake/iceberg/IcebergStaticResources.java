package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeStaticResources;

import org.apache.iceberg.util.LockManagers;
import org.apache.iceberg.util.ThreadPools;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;

/**
 * Iceberg's static executors: the worker pools (scan planning, manifest writes, deletes) and the
 * scheduler of the in-memory lock manager that hadoop catalogs commit under. Their threads live as
 * long as the JVM unless shut down, and keep the connector's class loader with them.
 */
final class IcebergStaticResources {

    static {
        LakeStaticResources.onRelease(
                "Iceberg worker pools and lock manager scheduler", IcebergStaticResources::release);
    }

    private IcebergStaticResources() {}

    /** Makes sure the release is registered; the first call does it. */
    static void registerRelease() {}

    private static void release() {
        ThreadPools.getWorkerPool().shutdownNow();
        ThreadPools.getDeleteWorkerPool().shutdownNow();
        try {
            Field scheduler = LockManagers.BaseLockManager.class.getDeclaredField("scheduler");
            scheduler.setAccessible(true);
            ExecutorService started = (ExecutorService) scheduler.get(null);
            if (started != null) {
                started.shutdownNow();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Iceberg's lock manager has no scheduler field", e);
        }
    }
}
