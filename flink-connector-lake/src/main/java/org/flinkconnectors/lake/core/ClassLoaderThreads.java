package org.flinkconnectors.lake.core;

import java.util.ArrayList;
import java.util.List;

/** Which threads keep a class loader reachable: by their own class or their context loader. */
final class ClassLoaderThreads {

    private ClassLoaderThreads() {}

    static boolean belongsTo(Thread thread, ClassLoader loader) {
        return thread.getClass().getClassLoader() == loader
                || thread.getContextClassLoader() == loader;
    }

    /** Names of the live threads, other than the caller, that belong to the loader. */
    static List<String> aliveOf(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread != Thread.currentThread() && thread.isAlive() && belongsTo(thread, loader)) {
                names.add(thread.getName());
            }
        }
        return names;
    }
}
