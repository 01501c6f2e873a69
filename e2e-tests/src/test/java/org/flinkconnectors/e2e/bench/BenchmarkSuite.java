package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.scaling.ScalingBenchmark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs every benchmark of this package, each in a fresh JVM with this one's class path, at a quick
 * or a full size; merges their figures into {@code e2e-tests/target/bench/results.json} (copied to
 * {@code docs/benchmarks.json}) and renders {@code docs/benchmarks.svg} ({@link BenchChart}). A
 * benchmark that fails is reported and the others still run; the exit status is then 1.
 *
 * <p>Arguments: {@code quick} (the default, about five minutes) or {@code full}, then optionally
 * the benchmarks to run, comma-separated ({@code streams,odps,lake,lookup,scaling}). Scaling
 * figures (cost against size) go under {@code scaling}, the others under {@code benchmarks}.
 */
public final class BenchmarkSuite {

    /** One benchmark main and how to run it at each size. */
    private record Entry(String name, Class<?> main, Size quick, Size full) {}

    /** The main's arguments and its JVM's heap at one size. */
    private record Size(String arguments, String heap) {}

    private static final List<Entry> BENCHMARKS =
            List.of(
                    new Entry(
                            "streams",
                            StreamsBenchmark.class,
                            new Size("300000 100 3", "2g"),
                            new Size("5000000 100 5", "2g")),
                    // The ODPS server's JVM sizes its own heap from the rows.
                    new Entry(
                            "odps",
                            OdpsBenchmark.class,
                            new Size("400000 3", "1g"),
                            new Size("1000000 5", "2g")),
                    new Entry(
                            "lake",
                            LakeBenchmark.class,
                            new Size("200000 3 both", "2g"),
                            new Size("2000000 5 both", "4g")),
                    new Entry(
                            "lookup",
                            LakeLookupRefreshBenchmark.class,
                            new Size("400000 3", "1g"),
                            new Size("2000000 5", "4g")),
                    new Entry(
                            "scaling",
                            ScalingBenchmark.class,
                            new Size("quick", "2g"),
                            new Size("full", "4g")));

    private static final List<String> NAMES = BENCHMARKS.stream().map(Entry::name).toList();

    private BenchmarkSuite() {}

    public static void main(String[] args) throws Exception {
        String size = args.length > 0 ? args[0] : "quick";
        if (!size.equals("quick") && !size.equals("full")) {
            throw new IllegalArgumentException(
                    "Unknown size '" + size + "'; the valid values are quick, full.");
        }
        List<String> only = args.length > 1 ? Arrays.asList(args[1].split(",")) : NAMES;
        for (String name : only) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException(
                        "Unknown benchmark '"
                                + name
                                + "'; the valid names are "
                                + String.join(", ", NAMES)
                                + ".");
            }
        }
        Path root = repositoryRoot();
        Path output = root.resolve("e2e-tests/target/bench");
        Files.createDirectories(output);

        ObjectNode results = BenchReport.JSON.createObjectNode();
        results.put("size", size);
        results.put(
                "generated",
                ZonedDateTime.now(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        results.put("cpus", Runtime.getRuntime().availableProcessors());
        results.put("java", System.getProperty("java.version"));
        ArrayNode benchmarks = results.putArray("benchmarks");
        List<String> failed = new ArrayList<>();
        for (Entry entry : BENCHMARKS) {
            if (!only.contains(entry.name())) {
                continue;
            }
            Path json = output.resolve(entry.name() + ".json");
            Files.deleteIfExists(json);
            Size run = size.equals("quick") ? entry.quick() : entry.full();
            if (run(entry, run, json)) {
                ObjectNode result = (ObjectNode) BenchReport.JSON.readTree(json.toFile());
                result.put("arguments", run.arguments());
                if (result.has("series")) {
                    results.set("scaling", result);
                } else {
                    benchmarks.add(result);
                }
            } else {
                failed.add(entry.name());
            }
        }
        Path resultsFile = output.resolve("results.json");
        BenchReport.JSON.writerWithDefaultPrettyPrinter().writeValue(resultsFile.toFile(), results);
        Path chart = root.resolve("docs/benchmarks.svg");
        BenchChart.render(results, chart);
        // The rounds behind the chart, next to it: the chart can be checked and rendered again.
        Files.copy(
                resultsFile,
                root.resolve("docs/benchmarks.json"),
                StandardCopyOption.REPLACE_EXISTING);
        System.out.println();
        System.out.println(BenchSummary.markdown(results));
        System.out.println("Results: " + resultsFile + System.lineSeparator() + "Chart: " + chart);
        if (!failed.isEmpty()) {
            System.err.println("Failed: " + String.join(", ", failed));
            System.exit(1);
        }
    }

    /** Runs one benchmark main in a child JVM; true if it ended well and wrote its JSON. */
    private static boolean run(Entry entry, Size size, Path json) throws Exception {
        System.out.println(
                ">>> "
                        + entry.name()
                        + ": "
                        + entry.main().getSimpleName()
                        + " "
                        + size.arguments());
        Process process =
                new ProcessBuilder(
                                ChildJvm.command(
                                        size.heap(),
                                        List.of(BenchReport.JSON_PROPERTY + "=" + json),
                                        entry.main().getName(),
                                        Arrays.asList(size.arguments().split(" "))))
                        .inheritIO()
                        .start();
        int exit = process.waitFor();
        if (exit != 0 || !Files.exists(json)) {
            System.err.println(entry.name() + " failed with exit code " + exit + ".");
            return false;
        }
        return true;
    }

    /** The repository's root, from the module directory (exec:exec's) or the root itself. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("e2e-tests")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("Run from the repository or a module of it, not " + dir);
    }
}
