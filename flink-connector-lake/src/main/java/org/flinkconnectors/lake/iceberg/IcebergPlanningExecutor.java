package org.flinkconnectors.lake.iceberg;

import org.apache.iceberg.util.ThreadPools;

import java.io.Closeable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that read a loaded table's manifests while a scan is planned, closed with the table.
 * Without them Iceberg plans on its static worker pool, whose threads live as long as the JVM and
 * keep the job's class loader: on a session cluster's JobManager, where split enumerators plan and
 * Flink offers no hook to stop them, every job that added the lake jar would stay in memory.
 * Threads start only when a plan has several manifests to read.
 */
final class IcebergPlanningExecutor implements Closeable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService executor =
            ThreadPools.newFixedThreadPool(
                    "lake-iceberg-planning-" + POOLS.incrementAndGet(),
                    ThreadPools.WORKER_THREAD_POOL_SIZE);

    ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
