package org.flinkconnectors.e2e.bench.scaling;

import org.flinkconnectors.e2e.bench.BenchReport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The figures of a scaling run: per series (what grows, in which unit), one point per size with its
 * total time, time per item and series-specific figures. Written as JSON when the system property
 * {@value BenchReport#JSON_PROPERTY} names a file, which the benchmark suite merges and charts.
 */
final class ScalingReport {

    private final ObjectNode root = BenchReport.JSON.createObjectNode();
    private final ArrayNode series = root.put("benchmark", "scaling").putArray("series");

    /**
     * Starts a series.
     *
     * @param name what is measured, e.g. {@code Iceberg planning}
     * @param item what the size counts, e.g. {@code data files}
     */
    ArrayNode series(String name, String item) {
        ObjectNode node = series.addObject();
        node.put("name", name);
        node.put("item", item);
        return node.putArray("points");
    }

    /** One size of a series; {@code extras} are figures of that series, by name. */
    static void point(ArrayNode points, long size, double millis, Map<String, Double> extras) {
        ObjectNode point = points.addObject();
        point.put("size", size);
        point.put("millis", millis);
        point.put("microsPerItem", millis * 1_000 / size);
        extras.forEach(point::put);
    }

    void finish() throws IOException {
        String file = System.getProperty(BenchReport.JSON_PROPERTY);
        if (file != null && !file.isEmpty()) {
            Path target = Path.of(file);
            Files.createDirectories(target.toAbsolutePath().getParent());
            BenchReport.JSON.writerWithDefaultPrettyPrinter().writeValue(target.toFile(), root);
            System.out.println("Wrote " + target.toAbsolutePath());
        }
    }
}
