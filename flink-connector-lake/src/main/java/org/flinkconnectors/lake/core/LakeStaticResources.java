package org.flinkconnectors.lake.core;

import org.flinkconnectors.base.classloading.JobClassLoaderRelease;

import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.util.UserCodeClassLoader;

import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Releases what Iceberg, Delta and Hadoop keep for the life of their classes: static thread pools,
 * a statistics cleaner thread, cached file systems and JVM shutdown hooks. Each of them holds the
 * class loader that loaded the connector, so when the connector comes from a SQL jar added to a
 * session cluster ({@code ADD JAR}), every finished job would leave its class loader, and all the
 * classes of the jar, in the TaskManager's metaspace until it runs out. Flink calls the release
 * when it drops a job's class loader; a connector in {@code lib/} is shared by all jobs and never
 * released. {@link JobClassLoaderRelease} does the rest of what unloading the jar needs.
 */
public final class LakeStaticResources {

    private static final Logger LOG = LoggerFactory.getLogger(LakeStaticResources.class);

    /** Releases of the libraries started so far, by what they release. */
    private static final Map<String, Runnable> RELEASES = new LinkedHashMap<>();

    static {
        onRelease("Hadoop file systems and statistics cleaner", LakeStaticResources::releaseHadoop);
    }

    private LakeStaticResources() {}

    /** Called by a table format when it starts a library that keeps static threads or hooks. */
    public static synchronized void onRelease(String what, Runnable release) {
        RELEASES.putIfAbsent(what, release);
    }

    /**
     * Has Flink release the libraries' static resources together with the job's class loader, when
     * the connector was loaded by that class loader (not from {@code lib/}).
     */
    public static void releaseWith(UserCodeClassLoader loader) {
        JobClassLoaderRelease.register(loader, "lake", LakeStaticResources::release);
    }

    /** As {@link #releaseWith(UserCodeClassLoader)}, for a table function (a lookup join). */
    public static void releaseWith(FunctionContext context) {
        JobClassLoaderRelease.register(context, "lake", LakeStaticResources::release);
    }

    /**
     * A use of the libraries by a split enumerator on the JobManager, where Flink offers no release
     * hook: when the job's last enumerator closes, Hadoop's statistics cleaner stops and the jar's
     * JVM shutdown hooks go. Iceberg plans there on threads of its own (see {@code
     * IcebergPlanningExecutor}), so its static pools never start. The JobManager may close the
     * job's class loader before its enumerators, and a closed loader loads no more classes: what
     * the release needs is looked up now.
     */
    public static Closeable openJobManagerUse() {
        Thread cleaner = hadoopStatisticsCleaner();
        return JobClassLoaderRelease.openUse(
                "lake",
                () -> {
                    if (cleaner != null) {
                        cleaner.interrupt();
                    }
                });
    }

    private static void release() {
        List<Map.Entry<String, Runnable>> releases;
        synchronized (LakeStaticResources.class) {
            releases = new ArrayList<>(RELEASES.entrySet());
        }
        for (Map.Entry<String, Runnable> release : releases) {
            try {
                release.getValue().run();
            } catch (Throwable t) {
                LOG.warn("Could not release {}: {}", release.getKey(), t.toString());
            }
        }
    }

    private static void releaseHadoop() {
        try {
            FileSystem.closeAll();
        } catch (Exception e) {
            LOG.warn("Could not close the cached Hadoop file systems: {}", e.toString());
        }
        Thread cleaner = hadoopStatisticsCleaner();
        if (cleaner != null) {
            cleaner.interrupt();
        }
    }

    /** The thread that loops until interrupted; null if it cannot be reached. */
    private static Thread hadoopStatisticsCleaner() {
        try {
            Field cleaner = FileSystem.Statistics.class.getDeclaredField("STATS_DATA_CLEANER");
            cleaner.setAccessible(true);
            return (Thread) cleaner.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "Cannot reach Hadoop's statistics cleaner thread to stop it: {}", e.toString());
            return null;
        }
    }
}
