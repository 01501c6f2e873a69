package org.flinkconnectors.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The classpath of the standalone Flink processes: the jars Maven resolved for this module (written
 * by maven-dependency-plugin to {@code target/flink-cluster.classpath}) minus the suite's modules
 * and every Kafka jar. {@link #load} checks the result by content, so the 'streams' connector and
 * the Kafka client can only reach the cluster through the SQL jar.
 */
final class ClusterClasspath {

    /** Packages that must not be on the cluster's classpath. */
    private static final List<String> FORBIDDEN_PACKAGES =
            List.of("org/flinkconnectors/", "org/apache/kafka/");

    private final List<Path> jars;

    private ClusterClasspath(List<Path> jars) {
        this.jars = jars;
    }

    /** Reads the classpath file and verifies that it holds only jars without forbidden classes. */
    static ClusterClasspath load(Path classpathFile) throws IOException {
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(
                    "Missing "
                            + classpathFile
                            + "; it is written by maven-dependency-plugin in the"
                            + " generate-test-resources phase of e2e-tests.");
        }
        String content = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        List<Path> jars =
                Arrays.stream(content.split(File.pathSeparator))
                        .filter(entry -> !entry.isBlank())
                        .map(Path::of)
                        .collect(Collectors.toList());
        List<String> problems = new ArrayList<>();
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
                // A directory here would be some module's target/classes.
                problems.add(jar + " is not a jar");
                continue;
            }
            String forbidden = firstForbiddenEntry(jar);
            if (forbidden != null) {
                problems.add(jar + " contains " + forbidden);
            }
        }
        if (jars.stream().noneMatch(jar -> jar.getFileName().toString().startsWith("flink-"))) {
            problems.add("no Flink jar at all");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "The Flink cluster classpath in "
                            + classpathFile
                            + " must hold neither the suite's classes nor Kafka's: "
                            + problems);
        }
        return new ClusterClasspath(jars);
    }

    String asArgument() {
        return jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static String firstForbiddenEntry(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                for (String forbidden : FORBIDDEN_PACKAGES) {
                    if (name.startsWith(forbidden)) {
                        return name;
                    }
                }
            }
        }
        return null;
    }
}
