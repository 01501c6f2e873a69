package org.flinkconnectors.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The figures of one benchmark run: printed as min / median / max per variant with the ratios of
 * the medians to the raw loop and to the peer, and written as JSON when the system property {@value
 * #JSON_PROPERTY} names a file ({@link BenchmarkSuite} merges those files).
 */
public final class BenchReport {

    public static final String JSON_PROPERTY = "bench.json";
    public static final ObjectMapper JSON = new ObjectMapper();

    private final String benchmark;
    private final String setting;
    private final List<BenchPath> paths = new ArrayList<>();

    /**
     * @param benchmark its short name, e.g. {@code odps}
     * @param setting what was run where, one line (sizes, rounds, the machine)
     */
    BenchReport(String benchmark, String setting) {
        this.benchmark = benchmark;
        this.setting = setting;
    }

    String benchmark() {
        return benchmark;
    }

    void add(BenchPath path) {
        paths.add(path);
    }

    /** Prints every path, then writes the JSON file if one was asked for. */
    void finish() throws IOException {
        print();
        String file = System.getProperty(JSON_PROPERTY);
        if (file != null && !file.isEmpty()) {
            Path target = Path.of(file);
            Files.createDirectories(target.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(target.toFile(), toJson());
            System.out.println("Wrote " + target.toAbsolutePath());
        }
    }

    void print() {
        System.out.println();
        System.out.println("=== " + benchmark + " benchmark: " + setting + " ===");
        for (BenchPath path : paths) {
            System.out.printf(
                    "%s: %s%n  %-36s %s over %d rounds: min / median / max%n",
                    path.name(), path.description(), "", path.unit(), path.raw().values().length);
            for (BenchVariant variant : path.variants()) {
                System.out.println("  " + line(path, variant));
            }
        }
    }

    private static String line(BenchPath path, BenchVariant variant) {
        StringBuilder line =
                new StringBuilder(
                        String.format(
                                "%-36s %s / %s / %s",
                                variant.name(),
                                figure(variant.min()),
                                figure(variant.median()),
                                figure(variant.max())));
        if (variant.megabytesPerSecond().length > 0) {
            line.append(
                    String.format(
                            "  %7.1f MB/s", BenchVariant.median(variant.megabytesPerSecond())));
        }
        String raw = path.unit().equals(BenchPath.THROUGHPUT) ? "raw" : path.raw().name();
        line.append(String.format("  %5.2f x %s", path.ratioToRaw(variant), raw));
        path.ratioToPeer(variant).ifPresent(r -> line.append(String.format("  %5.2f x peer", r)));
        line.append(cpu("CPU", variant.cpuMicrosPerRecord()));
        line.append(cpu("server CPU", variant.serverCpuMicrosPerRecord()));
        return line.toString();
    }

    private static String cpu(String what, double[] cpu) {
        if (cpu.length == 0) {
            return "";
        }
        return String.format(
                "  %s %.2f / %.2f / %.2f us/record",
                what,
                Arrays.stream(cpu).min().orElseThrow(),
                BenchVariant.median(cpu),
                Arrays.stream(cpu).max().orElseThrow());
    }

    private static String figure(double value) {
        return String.format(value >= 1000 ? "%,11.0f" : "%,11.1f", value);
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", benchmark);
        root.put("setting", setting);
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        ArrayNode pathsJson = root.putArray("paths");
        for (BenchPath path : paths) {
            ObjectNode pathJson = pathsJson.addObject();
            pathJson.put("benchmark", benchmark);
            pathJson.put("path", path.name());
            pathJson.put("description", path.description());
            pathJson.put("unit", path.unit());
            pathJson.put("raw", path.raw().name());
            pathJson.put("peer", path.peer().map(BenchVariant::name).orElse(null));
            ArrayNode variants = pathJson.putArray("variants");
            for (BenchVariant variant : path.variants()) {
                variants.add(variantJson(path, variant));
            }
        }
        return root;
    }

    private static ObjectNode variantJson(BenchPath path, BenchVariant variant) {
        ObjectNode json = statsJson(variant.values());
        json.put("name", variant.name());
        json.put("role", variant.role().name().toLowerCase());
        json.put("ratioToRaw", path.ratioToRaw(variant));
        Optional<Double> toPeer = path.ratioToPeer(variant);
        if (toPeer.isPresent()) {
            json.put("ratioToPeer", toPeer.get());
        } else {
            json.putNull("ratioToPeer");
        }
        if (variant.megabytesPerSecond().length > 0) {
            json.put("medianMegabytesPerSecond", BenchVariant.median(variant.megabytesPerSecond()));
        }
        if (variant.cpuMicrosPerRecord().length > 0) {
            json.set("cpuMicrosPerRecord", statsJson(variant.cpuMicrosPerRecord()));
        }
        if (variant.serverCpuMicrosPerRecord().length > 0) {
            json.set("serverCpuMicrosPerRecord", statsJson(variant.serverCpuMicrosPerRecord()));
        }
        return json;
    }

    private static ObjectNode statsJson(double[] values) {
        ObjectNode json = JSON.createObjectNode();
        ArrayNode rounds = json.putArray("rounds");
        Arrays.stream(values).forEach(rounds::add);
        json.put("min", Arrays.stream(values).min().orElseThrow());
        json.put("median", BenchVariant.median(values));
        json.put("max", Arrays.stream(values).max().orElseThrow());
        return json;
    }
}
