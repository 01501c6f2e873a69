package org.flinkconnectors.base.classloading;

import org.apache.flink.util.UserCodeClassLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

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
        try {
            libraries.run();
        } catch (Throwable t) {
            LOG.warn("Could not stop the {} connector's libraries: {}", connector, t.toString());
        }
        CompiledCodeCache.forget(jobLoader);
        // The loader that defined the connector's classes, and the wrapper Flink hands to tasks.
        List<ClassLoader> loaders =
                List.of(JobClassLoaderRelease.class.getClassLoader(), jobLoader);
        JvmShutdownHooks.removeThoseOf(loaders);
        ClassLoaderThreads.detachContextOf(loaders);
        List<String> lingering = ClassLoaderThreads.aliveOf(loaders);
        if (!lingering.isEmpty()) {
            LOG.warn(
                    "Threads of the {} connector's class loader still run after its release and"
                            + " keep it in memory: {}",
                    connector,
                    lingering);
        }
    }
}
