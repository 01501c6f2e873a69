package org.flinkconnectors.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The jars of the standalone Flink processes, laid out like a Flink binary distribution: {@code
 * lib/} with exactly the artifacts a distribution's {@code lib/} holds, {@code opt/} with the SQL
 * gateway. Maven copies them (e2e-tests/pom.xml, without their dependencies); {@link #load} checks
 * the copy against the allow-list here and by content, so a connector and its client libraries can
 * reach the cluster only as a SQL jar, through {@code ADD JAR} or {@link #withLibJars} (a jar
 * dropped into {@code lib/}).
 */
final class FlinkDistribution {

    /**
     * The artifact ids allowed in {@code lib/}: the modules flink-dist bundles and the libraries it
     * shades in, the table jars, formats, file and datagen connectors, log4j.
     */
    static final Set<String> LIB_ALLOW_LIST =
            Set.of(
                    "flink-annotations",
                    "flink-cep",
                    "flink-clients",
                    "flink-connector-datagen",
                    "flink-connector-files",
                    "flink-core",
                    "flink-core-api",
                    "flink-csv",
                    "flink-datastream",
                    "flink-datastream-api",
                    "flink-file-sink-common",
                    "flink-hadoop-fs",
                    "flink-json",
                    "flink-metrics-core",
                    "flink-queryable-state-client-java",
                    "flink-rpc-akka-loader",
                    "flink-rpc-core",
                    "flink-runtime",
                    "flink-runtime-web",
                    "flink-shaded-asm-9",
                    "flink-shaded-guava",
                    "flink-shaded-jackson",
                    "flink-shaded-netty",
                    "flink-shaded-zookeeper-3",
                    "flink-streaming-java",
                    "flink-table-api-bridge-base",
                    "flink-table-api-java",
                    "flink-table-api-java-bridge",
                    "flink-table-common",
                    "flink-table-planner-loader",
                    "flink-table-runtime",
                    "kryo",
                    "minlog",
                    "reflectasm",
                    "jsr305",
                    "icu4j",
                    "commons-cli",
                    "commons-collections",
                    "commons-io",
                    "commons-compress",
                    "commons-lang3",
                    "commons-math3",
                    "commons-text",
                    "javassist",
                    "lz4-java",
                    "objenesis",
                    "slf4j-api",
                    "snakeyaml-engine",
                    "snappy-java",
                    "async-profiler",
                    "log4j-1.2-api",
                    "log4j-api",
                    "log4j-core",
                    "log4j-slf4j-impl");

    /** Packages that a distribution does not have and a connector must bring itself. */
    private static final List<String> FORBIDDEN_PACKAGES =
            List.of(
                    "org/flinkconnectors/",
                    "org/apache/kafka/",
                    "com/aliyun/",
                    "javax/mail/",
                    "javax/activation/",
                    "org/apache/iceberg/",
                    "io/delta/",
                    "org/apache/hadoop/",
                    "org/apache/parquet/",
                    "com/fasterxml/jackson/",
                    "org/apache/commons/logging/");

    private static final Pattern VERSIONED_JAR = Pattern.compile("(.+?)-\\d[^-]*(?:-.*)?\\.jar");

    private final List<Path> lib;
    private final Path sqlGatewayJar;

    private FlinkDistribution(List<Path> lib, Path sqlGatewayJar) {
        this.lib = List.copyOf(lib);
        this.sqlGatewayJar = sqlGatewayJar;
    }

    /** Reads {@code lib/} and {@code opt/} of a distribution directory and checks them. */
    static FlinkDistribution load(Path distDir) throws IOException {
        List<Path> lib = jars(distDir.resolve("lib"));
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Path jar : lib) {
            String artifact = artifactId(jar);
            seen.add(artifact);
            if (!LIB_ALLOW_LIST.contains(artifact)) {
                problems.add(jar.getFileName() + " is not in a Flink distribution's lib/");
            }
            String forbidden = firstForbiddenEntry(jar);
            if (forbidden != null) {
                problems.add(jar.getFileName() + " contains " + forbidden);
            }
        }
        Set<String> missing = new TreeSet<>(LIB_ALLOW_LIST);
        missing.removeAll(seen);
        if (!missing.isEmpty()) {
            problems.add("lib/ lacks " + missing);
        }
        List<Path> gateway =
                jars(distDir.resolve("opt")).stream()
                        .filter(jar -> artifactId(jar).equals("flink-sql-gateway"))
                        .toList();
        if (gateway.size() != 1) {
            problems.add("opt/ must hold one flink-sql-gateway jar, found " + gateway);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "The Flink distribution in " + distDir + " is not a plain one: " + problems);
        }
        return new FlinkDistribution(lib, gateway.get(0));
    }

    /** The same distribution with these jars dropped into {@code lib/}. */
    FlinkDistribution withLibJars(List<Path> jars) {
        List<Path> all = new ArrayList<>(lib);
        all.addAll(jars);
        return new FlinkDistribution(all, sqlGatewayJar);
    }

    /** The classpath of JobManager and TaskManagers: {@code lib/*}. */
    String clusterClasspath() {
        return join(lib);
    }

    /** The classpath of the SQL gateway: {@code lib/*} and the gateway from {@code opt/}. */
    String sqlGatewayClasspath() {
        List<Path> all = new ArrayList<>(lib);
        all.add(sqlGatewayJar);
        return join(all);
    }

    /** The jars of {@code lib/}, for a class loader that sees what a cluster sees. */
    List<Path> libJars() {
        return lib;
    }

    /**
     * The artifact id of a jar named {@code artifactId-version.jar}: an allow-listed id if one fits
     * (ids such as {@code flink-shaded-asm-9} end in digits themselves), else the name up to the
     * first {@code -digit}.
     */
    static String artifactId(Path jar) {
        String name = jar.getFileName().toString();
        String known =
                Stream.concat(LIB_ALLOW_LIST.stream(), Stream.of("flink-sql-gateway"))
                        .filter(
                                id ->
                                        name.startsWith(id + "-")
                                                && Character.isDigit(name.charAt(id.length() + 1)))
                        .max(Comparator.comparingInt(String::length))
                        .orElse(null);
        if (known != null) {
            return known;
        }
        Matcher matcher = VERSIONED_JAR.matcher(name);
        return matcher.matches() ? matcher.group(1) : name;
    }

    private static String join(List<Path> jars) {
        return jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    "Missing "
                            + dir
                            + "; maven-dependency-plugin fills it in the generate-test-resources"
                            + " phase of e2e-tests.");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
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
