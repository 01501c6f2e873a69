package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchSupport.Result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.e2e.bench.BenchPath.Named.ours;
import static org.flinkconnectors.e2e.bench.BenchPath.Named.peer;
import static org.flinkconnectors.e2e.bench.BenchPath.Named.raw;

/** The suite's merged results as the chart and the Markdown summary show them. */
class BenchChartTest {

    @TempDir Path dir;

    @Test
    void chartAndSummaryShowRatiosAndScaling() throws Exception {
        BenchPath scan =
                BenchPath.throughput(
                        "lake",
                        "iceberg scan",
                        "bounded read",
                        List.of(rounds(100), rounds(80), rounds(150)),
                        raw("plain loop"),
                        peer("IcebergSource"),
                        ours("LakeSource (ours)"));
        ObjectNode results = results(scan);

        Path svg = dir.resolve("chart.svg");
        BenchChart.render(results, svg);
        String chart = Files.readString(svg);
        String summary = BenchSummary.markdown(results);

        assertThat(chart)
                .contains("iceberg scan", "LakeSource (ours) / raw", "1.50x", "1.88x")
                .contains("Scaling: time per item", "10,000 data files", "35.0 \u00b5s each");
        assertThat(summary)
                .contains(
                        "| iceberg scan | LakeSource (ours) | 150 / 150 / 150 records/s | 1.50 | 1.88 |")
                .contains("| Iceberg planning | 10,000 data files | 350 ms | 35.0 | 624 |");
    }

    @Test
    void variantNamesMustMatchTheVariantsRun() {
        assertThatThrownBy(
                        () ->
                                BenchPath.throughput(
                                        "lake",
                                        "scan",
                                        "",
                                        List.of(rounds(1), rounds(2)),
                                        raw("only one name")))
                .hasMessageContaining("1 variant names for 2 variants run");
    }

    private static List<Result> rounds(long recordsPerSecond) {
        // One second per round: the records are the rate.
        return List.of(new Result(recordsPerSecond, 0, 1_000_000_000L));
    }

    private static ObjectNode results(BenchPath path) throws Exception {
        BenchReport report = new BenchReport("lake", "test");
        report.add(path);
        ObjectNode results = BenchReport.JSON.createObjectNode();
        results.put("size", "quick");
        results.put("generated", "now");
        results.put("cpus", 2);
        ArrayNode benchmarks = results.putArray("benchmarks");
        benchmarks.add(report.toJson());
        JsonNode scaling =
                BenchReport.JSON.readTree(
                        "{\"benchmark\":\"scaling\",\"series\":[{\"name\":\"Iceberg planning\","
                                + "\"item\":\"data files\",\"points\":[{\"size\":1000,\"millis\":400,"
                                + "\"microsPerItem\":400,\"stateBytesPerSplit\":620},{\"size\":10000,"
                                + "\"millis\":350,\"microsPerItem\":35,\"stateBytesPerSplit\":624}]}]}");
        results.set("scaling", scaling);
        return results;
    }
}
