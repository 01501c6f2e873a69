package org.flinkconnectors.lake.testutils;

import org.apache.iceberg.FixtureTableRelocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The lake tables Apache Spark wrote once for these tests ({@code
 * src/test/resources/iceberg/spark_*} and {@code delta/spark_*}; how, in {@code
 * src/test/fixture-generator/README.md}) and the rows Spark read from them, in each fixture's
 * {@code expected/} folder.
 *
 * <p>Delta logs hold paths relative to the table, so a Delta fixture is read where it lies. Iceberg
 * metadata holds absolute paths (Spark wrote under {@code /tmp/flinkconnectors-spark-fixtures}), so
 * an Iceberg fixture is first copied into a warehouse with every stored path rewritten, by {@link
 * FixtureTableRelocator}.
 */
public final class SparkFixtures {

    private SparkFixtures() {}

    /**
     * Copies the Iceberg fixture {@code name} into a Hadoop-catalog warehouse as table {@code
     * db.<name>} and returns the table's location.
     */
    public static String copyIcebergTable(String name, Path warehouse) throws IOException {
        return FixtureTableRelocator.relocate(
                resource("iceberg/" + name), warehouse.resolve("db").resolve(name));
    }

    /** The directory of the Delta fixture {@code name}, to read in place. */
    public static Path deltaTable(String name) {
        return resource("delta/" + name);
    }

    /**
     * The snapshots Spark committed to an Iceberg fixture, oldest first, from {@code
     * expected/snapshots.csv}.
     */
    public static List<IcebergSnapshot> icebergSnapshots(String name) {
        return lines(resource("iceberg/" + name).resolve("expected/snapshots.csv")).stream()
                .skip(1)
                .map(line -> line.split(",", -1))
                .map(f -> new IcebergSnapshot(Long.parseLong(f[0]), f[2], f[3]))
                .toList();
    }

    /** The rows Spark read from an Iceberg fixture as of a snapshot, sorted by id. */
    public static List<String> icebergRows(String name, long snapshotId) {
        return lines(resource("iceberg/" + name).resolve("expected/" + snapshotId + ".csv"));
    }

    /** The versions of a Delta fixture, oldest first, from {@code expected/versions.csv}. */
    public static List<DeltaVersion> deltaVersions(String name) {
        return lines(deltaTable(name).resolve("expected/versions.csv")).stream()
                .skip(1)
                .map(line -> line.split(",", -1))
                .map(f -> new DeltaVersion(Long.parseLong(f[0]), f[1], f[2]))
                .toList();
    }

    /** The rows Spark read from a Delta fixture as of a version, sorted by id. */
    public static List<String> deltaRows(String name, long version) {
        return lines(deltaTable(name).resolve("expected/" + version + ".csv"));
    }

    /**
     * Spark's change data feed of one Delta version ({@code table_changes(t, v, v)}): {@code
     * id,name,amount,region,_change_type}, sorted by id and change type.
     */
    public static List<String> deltaChanges(String name, long version) {
        return lines(deltaTable(name).resolve("expected/changes/" + version + ".csv"));
    }

    /** A snapshot Spark committed: its id, Iceberg operation and the generator's step. */
    public record IcebergSnapshot(long id, String operation, String step) {}

    /** A Delta version: its number, Delta operation and the generator's step. */
    public record DeltaVersion(long version, String operation, String step) {}

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String path) {
        URL url =
                Objects.requireNonNull(
                        SparkFixtures.class.getResource("/" + path), "no test resource " + path);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
