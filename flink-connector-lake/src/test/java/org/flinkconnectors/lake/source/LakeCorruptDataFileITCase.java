package org.flinkconnectors.lake.source;

import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A committed data file that is still there but no longer Parquet (overwritten with garbage of the
 * same size, as a broken copy or disk would leave it): reading the table fails, and the error a
 * user sees names that file, for Iceberg and for Delta tables. Likewise for a file that is gone
 * (deleted by hand or by an expiry that raced the job).
 */
class LakeCorruptDataFileITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @TempDir Path root;

    @Test
    void icebergReadFailsNamingTheCorruptFile() throws Exception {
        TableWithFile iceberg = icebergTable();
        overwriteWithGarbage(iceberg.file());
        assertNamesFile(readAll(iceberg.loader()), iceberg.file());
    }

    @Test
    void deltaReadFailsNamingTheCorruptFile() throws Exception {
        TableWithFile delta = deltaTable();
        overwriteWithGarbage(delta.file());
        assertNamesFile(readAll(delta.loader()), delta.file());
    }

    @Test
    void icebergReadFailsNamingTheMissingFile() throws Exception {
        TableWithFile iceberg = icebergTable();
        delete(iceberg.file());
        assertNamesFile(readAll(iceberg.loader()), iceberg.file());
    }

    @Test
    void deltaReadFailsNamingTheMissingFile() throws Exception {
        TableWithFile delta = deltaTable();
        delete(delta.file());
        assertNamesFile(readAll(delta.loader()), delta.file());
    }

    /** A table of 100 rows in one committed data file. */
    private record TableWithFile(LakeTableLoader loader, Path file) {}

    private TableWithFile icebergTable() throws IOException {
        IcebergTestTables tables = new IcebergTestTables(root);
        Table table = tables.create("orders");
        IcebergTestTables.append(table, 0, 100);
        return new TableWithFile(
                IcebergTableLoader.hadoop(tables.warehouse(), "db", "orders"),
                Path.of(URI.create(IcebergTestTables.dataFiles(table).get(0).location())));
    }

    private TableWithFile deltaTable() throws IOException {
        DeltaTestTables tables = new DeltaTestTables(root);
        String path = tables.create("orders", Map.of());
        tables.append("orders", 0, 100);
        return new TableWithFile(
                DeltaTableLoader.path(path),
                Path.of(path).resolve(tables.dataFiles("orders").get(0).path()));
    }

    /** The outermost error that says what could not be read names the file. */
    private static void assertNamesFile(Throwable failure, Path file) {
        assertThat(failure).as("reading a corrupt or missing file fails").isNotNull();
        Throwable namingFile = failure;
        while (namingFile != null
                && (namingFile.getMessage() == null
                        || !namingFile.getMessage().contains(file.getFileName().toString()))) {
            namingFile = namingFile.getCause();
        }
        assertThat(namingFile)
                .as("some error in the chain names %s:%n%s", file, failure)
                .isNotNull();
        assertThat(namingFile.getMessage()).contains(file.toString()).containsIgnoringCase("read");
    }

    private static void overwriteWithGarbage(Path file) throws IOException {
        byte[] garbage = new byte[(int) Files.size(file)];
        Arrays.fill(garbage, (byte) 'x');
        Files.write(file, garbage);
        // Hadoop's local checksum would catch the garbage first; object stores have none.
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }

    private static void delete(Path file) throws IOException {
        Files.delete(file);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }

    private static Throwable readAll(LakeTableLoader loader) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        LakeSource<RowData> source = LakeSource.builder().table(loader).build();
        return catchThrowable(
                () -> {
                    try (CloseableIterator<RowData> rows =
                            env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake")
                                    .executeAndCollect()) {
                        rows.forEachRemaining(row -> {});
                    }
                });
    }
}
