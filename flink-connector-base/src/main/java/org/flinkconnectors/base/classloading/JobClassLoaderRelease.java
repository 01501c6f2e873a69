package org.flinkconnectors.base.classloading;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.util.UserCodeClassLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets Flink unload a connector's SQL jar with the job that loaded it. A jar added with {@code ADD
 * JAR} is loaded again for every job; when Flink releases the job's class loader, whatever still
 * holds one of its classes keeps the whole jar in the TaskManager's metaspace. This release drops
 * what the connector cannot close itself: the libraries' static resources (given by the connector),
 * Flink's compiled-code cache entries of the job, and the JVM shutdown hooks of the loader; threads
 * of the loader that still run are logged. A connector in {@code lib/} is shared by all jobs and
 * never released.
 */
public final class JobClassLoaderRelease {

    private static final Logger LOG = LoggerFactory.getLogger(JobClassLoaderRelease.class);

    /** Open uses by connector, where Flink offers no release hook; statics are per job loader. */
    private static final Map<String, Integer> OPEN_USES = new HashMap<>();

    private JobClassLoaderRelease() {}

    /**
     * Registers the release with the job's class loader, once per connector, when the connector was
     * loaded by it.
     *
     * @param libraries stops the static threads and pools of the connector's libraries
     */
    public static void register(UserCodeClassLoader loader, String connector, Runnable libraries) {
        if (loadedForOneJob()) {
            loader.registerReleaseHookIfAbsent(
                    connector + " connector release",
                    () -> release(connector, libraries, loader.asClassLoader()));
        }
    }

    /**
     * As {@link #register(UserCodeClassLoader, String, Runnable)}, for code that has only the
     * task's runtime context (a table function, a lookup function).
     */
    public static void register(RuntimeContext context, String connector, Runnable libraries) {
        if (loadedForOneJob()) {
            ClassLoader loader = context.getUserCodeClassLoader();
            context.registerUserCodeClassLoaderReleaseHookIfAbsent(
                    connector + " connector release", () -> release(connector, libraries, loader));
        }
    }

    /**
     * As {@link #register(RuntimeContext, String, Runnable)}, for a table function such as a lookup
     * function. A function context hides the task's runtime context, whose release hook this needs,
     * so it is read from the context's field; where that fails, the connector keeps working and a
     * session cluster may keep the job's classes, which is logged.
     */
    public static void register(FunctionContext context, String connector, Runnable libraries) {
        if (!loadedForOneJob()) {
            return;
        }
        try {
            Field field = FunctionContext.class.getDeclaredField("context");
            field.setAccessible(true);
            RuntimeContext runtime = (RuntimeContext) field.get(context);
            if (runtime != null) {
                register(runtime, connector, libraries);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "Cannot register the release of the {} connector's libraries for this"
                            + " function; a session cluster may keep the job's classes: {}",
                    connector,
                    e.toString());
        }
    }

    /**
     * Opens a use of the connector's libraries where Flink offers no release hook: a split
     * enumerator on the JobManager. When the job's last use closes (the job ended, or a global
     * failover closes every enumerator before opening new ones), the libraries' static threads and
     * JVM shutdown hooks are dropped and the JDK's threads let go of the loader, so the JobManager
     * can unload the jar with the job. Threads of the job are left alone: unlike a TaskManager's,
     * they may run on after a failover.
     *
     * @param libraries stops the static threads of the connector's libraries; must leave them
     *     usable again (started anew) by a later use of the same job
     */
    public static Closeable openUse(String connector, Runnable libraries) {
        if (!loadedForOneJob()) {
            return () -> {};
        }
        synchronized (OPEN_USES) {
            OPEN_USES.merge(connector, 1, Integer::sum);
        }
        // The JobManager may close the job's class loader before the last use, and a closed
        // loader loads no more classes: run the release's lookups once while it is open.
        JvmShutdownHooks.removeThoseOf(List.of());
        ClassLoaderThreads.aliveOf(List.of());
        ClassLoaderThreads.detachContextOfJdkThreads(List.of());
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true) && closeUse(connector)) {
                release(connector, libraries);
            }
        };
    }

    /** Whether that was the last open use of the connector. */
    private static boolean closeUse(String connector) {
        synchronized (OPEN_USES) {
            int open = OPEN_USES.get(connector) - 1;
            if (open > 0) {
                OPEN_USES.put(connector, open);
                return false;
            }
            OPEN_USES.remove(connector);
            return true;
        }
    }

    private static void release(String connector, Runnable libraries) {
        stopLibraries(connector, libraries);
        List<ClassLoader> connectorLoader = List.of(JobClassLoaderRelease.class.getClassLoader());
        int hooks = JvmShutdownHooks.removeThoseOf(connectorLoader);
        LOG.info(
                "Released the {} connector's libraries after the job's last use; removed {} JVM"
                        + " shutdown hooks of its class loader.",
                connector,
                hooks);
        ClassLoaderThreads.detachContextOfJdkThreads(connectorLoader);
        warnAboutLingering(connector, ClassLoaderThreads.aliveOf(connectorLoader));
    }

    private static boolean loadedForOneJob() {
        try {
            return Class.forName(
                            JobClassLoaderRelease.class.getName(),
                            false,
                            ClassLoader.getSystemClassLoader())
                    != JobClassLoaderRelease.class;
        } catch (ClassNotFoundException notOnTheSystemClassPath) {
            return true;
        }
    }

    private static void release(String connector, Runnable libraries, ClassLoader jobLoader) {
        stopLibraries(connector, libraries);
        CompiledCodeCache.forget(jobLoader);
        // The loader that defined the connector's classes, and the wrapper Flink hands to tasks.
        List<ClassLoader> loaders =
                List.of(JobClassLoaderRelease.class.getClassLoader(), jobLoader);
        int hooks = JvmShutdownHooks.removeThoseOf(loaders);
        LOG.info(
                "Released the {} connector's libraries with the job's class loader; removed {} JVM"
                        + " shutdown hooks of it.",
                connector,
                hooks);
        ClassLoaderThreads.detachContextOf(loaders);
        warnAboutLingering(connector, ClassLoaderThreads.aliveOf(loaders));
    }

    private static void stopLibraries(String connector, Runnable libraries) {
        try {
            libraries.run();
        } catch (Throwable t) {
            LOG.warn("Could not stop the {} connector's libraries: {}", connector, t.toString());
        }
    }

    private static void warnAboutLingering(String connector, List<String> lingering) {
        if (!lingering.isEmpty()) {
            LOG.warn(
                    "Threads of the {} connector's class loader still run after its release and"
                            + " keep it in memory: {}",
                    connector,
                    lingering);
        }
    }
}
