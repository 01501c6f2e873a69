package org.flinkconnectors.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the merged results of {@link BenchmarkSuite} as an SVG: one block per benchmark path, one
 * horizontal bar per comparison, the median ratio to the raw loop (blue) and of ours to the peer
 * connector (orange), with whiskers from the variant's slowest to its fastest round over the
 * baseline's median. Timed paths (lower is better) get their own scale below the throughput ones.
 *
 * <p>{@code BenchChart results.json chart.svg} renders a saved run again.
 */
final class BenchChart {

    private static final int WIDTH = 960;
    private static final int LABEL_WIDTH = 330;
    private static final int PLOT_LEFT = LABEL_WIDTH + 10;
    private static final int PLOT_WIDTH = 480;
    private static final int ROW = 22;
    private static final String RAW_COLOR = "#4e79a7";
    private static final String PEER_COLOR = "#f28e2b";

    private final StringBuilder svg = new StringBuilder();
    private int y;

    public static void main(String[] args) throws IOException {
        JsonNode results = BenchReport.JSON.readTree(Path.of(args[0]).toFile());
        render(results, Path.of(args[1]));
    }

    static void render(JsonNode results, Path target) throws IOException {
        List<JsonNode> throughput = new ArrayList<>();
        List<JsonNode> timed = new ArrayList<>();
        for (JsonNode benchmark : results.get("benchmarks")) {
            for (JsonNode path : benchmark.get("paths")) {
                boolean isThroughput = path.get("unit").asText().equals(BenchPath.THROUGHPUT);
                (isThroughput ? throughput : timed).add(path);
            }
        }
        BenchChart chart = new BenchChart();
        chart.title(results);
        chart.section("Throughput, relative (higher is better)", throughput, "x");
        chart.section("Time, relative (lower is better)", timed, "x");
        if (results.has("scaling")) {
            chart.scaling(results.get("scaling").get("series"));
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, chart.finish(), StandardCharsets.UTF_8);
    }

    private void title(JsonNode results) {
        y = 28;
        text(12, y, 17, "bold", "start", "Flink Connector Suite benchmarks");
        y += 20;
        text(
                12,
                y,
                12,
                "normal",
                "start",
                String.format(
                        "%s run, %s, %d CPUs, parallelism 1, every benchmark in a JVM of its own.",
                        results.get("size").asText(),
                        results.get("generated").asText(),
                        results.get("cpus").asInt()));
        y += 16;
        text(
                12,
                y,
                12,
                "normal",
                "start",
                "Bars: ratio of the medians; whiskers: the variant's slowest and fastest round"
                        + " over the baseline's median.");
        y += 20;
        legend(12, RAW_COLOR, "to the raw client loop (1.0 = as fast as the SDK alone)");
        legend(430, PEER_COLOR, "ours to the peer connector (1.0 = as fast)");
        y += 12;
    }

    private void legend(int x, String color, String label) {
        svg.append(
                String.format(
                        "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                        x, y - 10, color));
        text(x + 18, y, 12, "normal", "start", label);
    }

    private void section(String heading, List<JsonNode> paths, String suffix) {
        if (paths.isEmpty()) {
            return;
        }
        List<Bar> all = new ArrayList<>();
        paths.forEach(p -> all.addAll(Bar.of(p)));
        double scale = niceMax(all.stream().mapToDouble(Bar::high).max().orElse(1));
        y += 22;
        text(12, y, 15, "bold", "start", heading);
        for (JsonNode path : paths) {
            y += 24;
            text(12, y, 13, "bold", "start", path.get("path").asText());
            y += 15;
            svg.append(
                    String.format(
                            "<text x=\"12\" y=\"%d\" font-size=\"11\" fill=\"#555\">%s</text>%n",
                            y, escape(path.get("description").asText())));
            List<Bar> bars = Bar.of(path);
            int top = y + 6;
            for (Bar bar : bars) {
                y += ROW;
                bar(bar, scale, suffix);
            }
            axis(top, y + 8, scale);
            y += 22;
        }
    }

    /**
     * Cost per item against size, one block per series, bars to the series' own scale: linear
     * growth keeps them level, better than linear makes them shrink.
     */
    private void scaling(JsonNode series) {
        y += 22;
        text(
                12,
                y,
                15,
                "bold",
                "start",
                "Scaling: time per item against size (level or falling =" + " linear or better)");
        for (JsonNode one : series) {
            y += 24;
            text(12, y, 13, "bold", "start", one.get("name").asText());
            double max = 0;
            for (JsonNode point : one.get("points")) {
                max = Math.max(max, point.get("microsPerItem").asDouble());
            }
            // Room on the right for the figures.
            int width = PLOT_WIDTH - 180;
            for (JsonNode point : one.get("points")) {
                y += ROW;
                double perItem = point.get("microsPerItem").asDouble();
                text(
                        LABEL_WIDTH,
                        y,
                        12,
                        "normal",
                        "end",
                        String.format(
                                Locale.ROOT,
                                "%,d %s",
                                point.get("size").asLong(),
                                one.get("item").asText()));
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"15\""
                                        + " fill=\"%s\"/>%n",
                                PLOT_LEFT,
                                y - 12,
                                perItem / max * width,
                                RAW_COLOR));
                text(
                        (int) (PLOT_LEFT + perItem / max * width) + 8,
                        y,
                        12,
                        "normal",
                        "start",
                        String.format(
                                Locale.ROOT,
                                perItem >= 100
                                        ? "%,.0f \u00b5s each (%,.0f ms)"
                                        : "%.1f \u00b5s each (%,.0f ms)",
                                perItem,
                                point.get("millis").asDouble()));
            }
            y += 8;
        }
    }

    private void bar(Bar bar, double scale, String suffix) {
        int barTop = y - 12;
        text(LABEL_WIDTH, y, 12, "normal", "end", bar.label());
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"15\" fill=\"%s\"/>%n",
                        PLOT_LEFT,
                        barTop,
                        x(bar.median(), scale) - PLOT_LEFT,
                        bar.color()));
        double low = x(bar.low(), scale);
        double high = x(bar.high(), scale);
        double middle = barTop + 7.5;
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<path d=\"M%.1f %.1fH%.1fM%.1f %dV%dM%.1f %dV%d\" stroke=\"#222\""
                                + " stroke-width=\"1.2\" fill=\"none\"/>%n",
                        low,
                        middle,
                        high,
                        low,
                        barTop + 3,
                        barTop + 12,
                        high,
                        barTop + 3,
                        barTop + 12));
        text(
                (int) high + 8,
                y,
                12,
                "normal",
                "start",
                String.format(
                        Locale.ROOT,
                        "%.2f%s (%.2f\u2013%.2f)",
                        bar.median(),
                        suffix,
                        bar.low(),
                        bar.high()));
    }

    private void axis(int top, int bottom, double scale) {
        double step = scale <= 1.5 ? 0.25 : scale <= 3 ? 0.5 : 1;
        for (double tick = 0; tick <= scale + 1e-9; tick += step) {
            double x = x(tick, scale);
            boolean one = Math.abs(tick - 1) < 1e-9;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\""
                                    + " stroke-dasharray=\"%s\"/>%n",
                            x,
                            top,
                            x,
                            bottom,
                            one ? "#555" : "#ccc",
                            one ? "4 3" : "2 3"));
            text(
                    (int) x,
                    bottom + 12,
                    10,
                    "normal",
                    "middle",
                    String.format(Locale.ROOT, "%.2f", tick));
        }
        y = bottom + 12;
    }

    private static double x(double value, double scale) {
        return PLOT_LEFT + Math.min(value, scale) / scale * PLOT_WIDTH;
    }

    /** The next multiple of 0.25 above {@code max}, at least 1.25 so that 1.0 is inside. */
    private static double niceMax(double max) {
        return Math.max(1.25, Math.ceil(max * 4 + 0.01) / 4);
    }

    private void text(int x, int baseline, int size, String weight, String anchor, String text) {
        svg.append(
                String.format(
                        "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\""
                                + " text-anchor=\"%s\">%s</text>%n",
                        x, baseline, size, weight, anchor, escape(text)));
    }

    private String finish() {
        int height = y + 20;
        return String.format(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                                + " viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial,"
                                + " sans-serif\">%n<rect width=\"100%%\" height=\"100%%\""
                                + " fill=\"white\"/>%n",
                        WIDTH, height, WIDTH, height)
                + svg
                + "</svg>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** One comparison: a variant's median and round range over a baseline's median. */
    private record Bar(String label, double median, double low, double high, String color) {

        static List<Bar> of(JsonNode path) {
            JsonNode raw = null;
            JsonNode peer = null;
            for (JsonNode variant : path.get("variants")) {
                String role = variant.get("role").asText();
                if (role.equals("raw")) {
                    raw = variant;
                } else if (role.equals("peer")) {
                    peer = variant;
                }
            }
            // Throughput paths' raw loops have long names; "raw" says enough there.
            boolean timed = !path.get("unit").asText().equals(BenchPath.THROUGHPUT);
            String rawLabel = timed ? raw.get("name").asText() : "raw";
            List<Bar> bars = new ArrayList<>();
            for (JsonNode variant : path.get("variants")) {
                String role = variant.get("role").asText();
                if (!role.equals("raw")) {
                    bars.add(over(variant, raw, rawLabel, RAW_COLOR));
                }
                if (role.equals("ours") && peer != null) {
                    bars.add(over(variant, peer, peer.get("name").asText(), PEER_COLOR));
                }
            }
            return bars;
        }

        private static Bar over(JsonNode variant, JsonNode baseline, String what, String color) {
            double base = baseline.get("median").asDouble();
            return new Bar(
                    variant.get("name").asText() + " / " + what,
                    variant.get("median").asDouble() / base,
                    variant.get("min").asDouble() / base,
                    variant.get("max").asDouble() / base,
                    color);
        }
    }
}
