package org.flinkconnectors.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** The merged results of {@link BenchmarkSuite} as a Markdown table, as the README shows them. */
final class BenchSummary {

    private BenchSummary() {}

    static String markdown(JsonNode results) {
        StringBuilder out = new StringBuilder();
        boolean servers = hasServerCpu(results);
        out.append("| path | variant | min / median / max | x raw | x peer | CPU µs/record |");
        out.append(
                servers
                        ? " server CPU µs/record |\n|---|---|---|---|---|---|---|\n"
                        : "\n|---|---|---|---|---|---|\n");
        for (JsonNode benchmark : results.get("benchmarks")) {
            for (JsonNode path : benchmark.get("paths")) {
                String unit = path.get("unit").asText();
                for (JsonNode variant : path.get("variants")) {
                    out.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %s | %s / %s / %s %s | %.2f | %s | %s |",
                                    path.get("path").asText(),
                                    variant.get("name").asText(),
                                    figure(variant.get("min").asDouble()),
                                    figure(variant.get("median").asDouble()),
                                    figure(variant.get("max").asDouble()),
                                    unit,
                                    variant.get("ratioToRaw").asDouble(),
                                    ratio(variant.get("ratioToPeer")),
                                    cpu(variant.get("cpuMicrosPerRecord"))));
                    if (servers) {
                        out.append(" ")
                                .append(cpu(variant.get("serverCpuMicrosPerRecord")))
                                .append(" |");
                    }
                    out.append("\n");
                }
            }
        }
        if (results.has("scaling")) {
            out.append("\n| scaling | size | time | µs per item | state bytes per split |\n");
            out.append("|---|---|---|---|---|\n");
            for (JsonNode series : results.get("scaling").get("series")) {
                for (JsonNode point : series.get("points")) {
                    out.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %,d %s | %,.0f ms | %.1f | %s |%n",
                                    series.get("name").asText(),
                                    point.get("size").asLong(),
                                    series.get("item").asText(),
                                    point.get("millis").asDouble(),
                                    point.get("microsPerItem").asDouble(),
                                    point.has("stateBytesPerSplit")
                                            ? String.format(
                                                    Locale.ROOT,
                                                    "%.0f",
                                                    point.get("stateBytesPerSplit").asDouble())
                                            : ""));
                }
            }
        }
        return out.toString();
    }

    private static boolean hasServerCpu(JsonNode results) {
        for (JsonNode benchmark : results.get("benchmarks")) {
            for (JsonNode path : benchmark.get("paths")) {
                for (JsonNode variant : path.get("variants")) {
                    if (variant.has("serverCpuMicrosPerRecord")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** 1.23M, 456k or 12.3: three significant figures are all the rounds can tell. */
    private static String figure(double value) {
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        }
        if (value >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", value / 1e3);
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
    }

    private static String ratio(JsonNode ratio) {
        return ratio == null || ratio.isNull()
                ? ""
                : String.format(Locale.ROOT, "%.2f", ratio.asDouble());
    }

    private static String cpu(JsonNode cpu) {
        return cpu == null
                ? ""
                : String.format(
                        Locale.ROOT,
                        "%.2f / %.2f / %.2f",
                        cpu.get("min").asDouble(),
                        cpu.get("median").asDouble(),
                        cpu.get("max").asDouble());
    }
}
