package org.flinkconnectors.e2e.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Which classes a SQL jar's code links but nobody provides, in a class loader that holds only the
 * jar and a Flink distribution's {@code lib/} (on the JDK's platform loader): what a user's cluster
 * would throw {@code NoClassDefFoundError} for. Starting from the root classes, it follows every
 * reference to a class inside the jar that the walk is told to follow, and reports each referenced
 * class that no loader has, with one class that refers to it.
 */
final class SqlJarLinkage {

    private SqlJarLinkage() {}

    /**
     * @param roots the classes the walk starts from (internal names)
     * @param follow the classes inside the jar whose references are followed in turn
     * @return missing class -> a class that refers to it
     */
    static Map<String, String> missingClasses(
            Path sqlJar, List<Path> libJars, Predicate<String> roots, Predicate<String> follow)
            throws IOException {
        Map<String, String> missing = new TreeMap<>();
        try (JarFile jar = new JarFile(sqlJar.toFile());
                URLClassLoader loader = isolatedLoader(sqlJar, libJars)) {
            Deque<String> queue = new ArrayDeque<>(classes(sqlJar, roots));
            Set<String> visited = new HashSet<>();
            visited.addAll(queue);
            while (!queue.isEmpty()) {
                String current = queue.poll();
                JarEntry entry = jar.getJarEntry(current + ".class");
                if (entry == null) {
                    continue; // a lib/ or JDK class: its own links are not the jar's business
                }
                byte[] bytes;
                try (InputStream in = jar.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                for (String referenced : ClassReferences.of(bytes)) {
                    if (loader.getResource(referenced + ".class") == null
                            && !isJdkClass(referenced)
                            && !relocatedCopyExists(jar, referenced)) {
                        missing.putIfAbsent(referenced, current);
                    } else if (follow.test(referenced) && visited.add(referenced)) {
                        queue.add(referenced);
                    }
                }
            }
        }
        return missing;
    }

    /** The classes of the jar whose names the predicate accepts, to check that roots exist. */
    static Set<String> classes(Path sqlJar, Predicate<String> filter) throws IOException {
        try (JarFile jar = new JarFile(sqlJar.toFile())) {
            Set<String> names = new TreeSet<>();
            jar.stream()
                    .map(JarEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .filter(filter)
                    .forEach(names::add);
            return names;
        }
    }

    /**
     * Classes that fail to load, or whose fields and method signatures name a class that fails to
     * load, in the isolated class loader: the linkage a call into them needs first.
     *
     * @return class -> the error
     */
    static Map<String, String> unloadableClasses(
            Path sqlJar, List<Path> libJars, Predicate<String> classes) throws IOException {
        Map<String, String> failures = new TreeMap<>();
        try (URLClassLoader loader = isolatedLoader(sqlJar, libJars)) {
            for (String name : classes(sqlJar, classes)) {
                try {
                    Class<?> loaded = Class.forName(name.replace('/', '.'), false, loader);
                    loaded.getDeclaredFields();
                    loaded.getDeclaredMethods();
                    loaded.getDeclaredConstructors();
                } catch (ClassNotFoundException | LinkageError e) {
                    failures.put(name, e.toString());
                }
            }
        }
        return failures;
    }

    /**
     * javac keeps a class constant for the owner of an inlined compile-time constant that no
     * instruction uses; the shade plugin leaves such entries unrelocated, and nothing resolves
     * them. The relocated copy of the class in the jar tells them apart from a real gap.
     */
    private static boolean relocatedCopyExists(JarFile jar, String referenced) {
        return jar.stream()
                .anyMatch(
                        entry ->
                                entry.getName().endsWith("/shaded/" + referenced + ".class")
                                        && entry.getName().startsWith("org/flinkconnectors/"));
    }

    private static URLClassLoader isolatedLoader(Path sqlJar, List<Path> libJars)
            throws IOException {
        URL[] urls = new URL[libJars.size() + 1];
        urls[0] = sqlJar.toUri().toURL();
        for (int i = 0; i < libJars.size(); i++) {
            urls[i + 1] = libJars.get(i).toUri().toURL();
        }
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    private static boolean isJdkClass(String internalName) {
        // Classes of java.base are found by the boot loader, which getResource of a platform
        // child does not always show.
        try {
            Class.forName(internalName.replace('/', '.'), false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
