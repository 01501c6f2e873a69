package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeWriteResult;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.core.LakeWriterFactory;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.RowType;

import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Delta write SPI on real tables in a temporary directory, read back by Kernel's own scan. */
class DeltaLakeTableWriteTest {

    private static final RowType ROW_TYPE = DeltaTypes.toRowType(DeltaTestTables.SCHEMA);

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void createTables() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void writtenFilesAreInvisibleUntilCommittedAsOneVersionWithTheTxn() throws Exception {
        String path = tables.create("orders", Map.of());
        LakeWriteResult result;
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            result = write(table, ROW_TYPE, 0, 100, false);
        }
        assertThat(result.fileCount()).isEqualTo(1);
        assertThat(result.recordCount()).isEqualTo(100);
        assertThat(parquetFiles(path)).hasSize(1);
        assertThat(tables.latest("orders").getVersion()).isZero();
        assertThat(DeltaKernelReads.rows(tables.engine(), path)).isEmpty();

        LakeCommitId id = new LakeCommitId("job-a", "job-a", "op", 7);
        OptionalLong version = commit(path, result, id);

        assertThat(version).hasValue(1);
        assertThat(DeltaKernelReads.rows(tables.engine(), path))
                .containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(0, 100));
        assertThat(tables.latest("orders").getLatestTransactionVersion(tables.engine(), id.appId()))
                .contains(7L);
        String log = Files.readString(tables.commitFile("orders", 1));
        assertThat(log).contains("\"txn\"").contains(id.appId()).contains("numRecords\\\":100");
    }

    @Test
    void aRepeatedOrEarlierCommitOfTheSameJobAddsNothingAnotherJobsDoes() throws Exception {
        String path = tables.create("orders", Map.of());
        LakeWriteResult result;
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            result = write(table, ROW_TYPE, 0, 10, false);
        }
        assertThat(commit(path, result, new LakeCommitId("job-a", "job-a", "op", 5))).hasValue(1);

        assertThat(commit(path, result, new LakeCommitId("job-a", "job-a", "op", 5))).isEmpty();
        assertThat(commit(path, result, new LakeCommitId("job-a", "job-a", "op", 4))).isEmpty();
        assertThat(tables.latest("orders").getVersion()).isEqualTo(1);

        assertThat(commit(path, result, new LakeCommitId("job-b", "job-b", "op", 5))).hasValue(2);
    }

    /** The overwrite removes the old file in its version; handed again it replaces nothing. */
    @Test
    void anOverwriteRemovesTheReplacedFilesOnceEvenIfRetried() throws Exception {
        String path = tables.create("orders", Map.of());
        LakeWriteResult old;
        LakeWriteResult replacement;
        LakeWriteResult later;
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            old = write(table, ROW_TYPE, 0, 10, false);
            replacement = write(table, ROW_TYPE, 100, 105, false);
            later = write(table, ROW_TYPE, 200, 203, false);
        }
        commit(path, old, new LakeCommitId("job-a", "job-a", "op", 1));
        LakeCommitId id = new LakeCommitId("job-b", "job-b", "op", Long.MAX_VALUE);

        assertThat(overwrite(path, replacement, id)).hasValue(2);
        commit(path, later, new LakeCommitId("job-c", "job-c", "op", 1));
        assertThat(overwrite(path, replacement, id)).isEmpty();

        assertThat(Files.readString(tables.commitFile("orders", 2))).contains("\"remove\"");
        List<String> expected = new java.util.ArrayList<>(DeltaTestTables.expected(100, 105));
        expected.addAll(DeltaTestTables.expected(200, 203));
        assertThat(DeltaKernelReads.rows(tables.engine(), path))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aPartitionedTableGetsPartitionValuesAndDirectories() throws Exception {
        String path = tables.createPartitioned("days");
        RowType rowType = DeltaTypes.toRowType(DeltaTestTables.PARTITIONED_SCHEMA);
        LakeWriteResult result;
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            result = write(table, rowType, 0, 10, true);
        }
        assertThat(result.fileCount()).isEqualTo(2);
        assertThat(commit(path, result, new LakeCommitId("job", "job", "op", 1))).hasValue(1);

        assertThat(tables.dataFiles("days").stream().map(f -> f.path().split("/")[0]))
                .containsExactlyInAnyOrder("day=even", "day=odd");
        assertThat(DeltaKernelReads.rows(tables.engine(), path))
                .hasSize(10)
                .contains("0,name-0,even", "1,name-1,odd", "8,name-8,even");
        String log = Files.readString(tables.commitFile("days", 1));
        assertThat(log).contains("\"partitionValues\":{\"day\":\"odd\"}");
    }

    @Test
    void writersRollFilesAtTheTargetSize() throws Exception {
        String path = tables.create("orders", Map.of());
        LakeWriteResult result;
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            LakeWriterFactory factory =
                    table.createWriterFactory(ROW_TYPE, new LakeWriteSpec(1_000L));
            try (LakeDataWriter writer = factory.create(0, 1, 0)) {
                for (long id = 0; id < 200; id++) {
                    writer.write(row(id, false));
                }
                result = writer.complete().orElseThrow();
            }
        }
        assertThat(result.fileCount()).isGreaterThan(3);
        commit(path, result, new LakeCommitId("job", "job", "op", 1));
        assertThat(DeltaKernelReads.rows(tables.engine(), path))
                .containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(0, 200));
    }

    @Test
    void closingAWriterDeletesItsUncompletedFiles() throws Exception {
        String path = tables.create("orders", Map.of());
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            LakeWriterFactory factory =
                    table.createWriterFactory(ROW_TYPE, new LakeWriteSpec(1_000L));
            LakeDataWriter writer = factory.create(0, 1, 0);
            for (long id = 0; id < 200; id++) {
                writer.write(row(id, false));
            }
            assertThat(parquetFiles(path)).isNotEmpty();
            writer.close();
        }
        assertThat(parquetFiles(path)).isEmpty();
    }

    @Test
    void rowsThatDoNotFitTheSchemaFailNamingTheColumn() throws Exception {
        String path = tables.create("orders", Map.of());
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            RowType wrongType =
                    RowType.of(
                            new org.apache.flink.table.types.logical.LogicalType[] {
                                new BigIntType(false), new IntType()
                            },
                            new String[] {"id", "name"});
            assertThatThrownBy(
                            () ->
                                    table.createWriterFactory(
                                            wrongType, LakeWriteSpec.tableDefaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'name'")
                    .hasMessageContaining("STRING");
            RowType missing = RowType.of(new BigIntType(false));
            assertThatThrownBy(
                            () -> table.createWriterFactory(missing, LakeWriteSpec.tableDefaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[id, name]");
        }
    }

    @Test
    void tablesWithColumnMappingAreRefusedNamingTheMode() throws Exception {
        String path = tables.create("mapped", Map.of("delta.columnMapping.mode", "name"));
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            assertThatThrownBy(
                            () ->
                                    table.createWriterFactory(
                                            ROW_TYPE, LakeWriteSpec.tableDefaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("column mapping (mode 'name')");
        }
    }

    @Test
    void filesAreSnappyCompressedUnlessTheTableNamesItsCodec() throws Exception {
        String plain = tables.create("plain", Map.of());
        String zstd = tables.create("zstd", Map.of("delta.parquet.compression.codec", "zstd"));
        for (String path : List.of(plain, zstd)) {
            try (LakeTable table = DeltaTableLoader.path(path).load()) {
                write(table, ROW_TYPE, 0, 100, false);
            }
        }

        assertThat(codec(parquetFiles(plain).get(0))).isEqualTo(CompressionCodecName.SNAPPY);
        assertThat(codec(parquetFiles(zstd).get(0))).isEqualTo(CompressionCodecName.ZSTD);
    }

    private static CompressionCodecName codec(Path file) throws IOException {
        try (ParquetFileReader reader =
                ParquetFileReader.open(
                        HadoopInputFile.fromPath(
                                new org.apache.hadoop.fs.Path(file.toUri()),
                                new org.apache.hadoop.conf.Configuration()))) {
            return reader.getFooter().getBlocks().get(0).getColumns().get(0).getCodec();
        }
    }

    private static LakeWriteResult write(
            LakeTable table, RowType rowType, long fromId, long toId, boolean partitioned)
            throws IOException {
        LakeWriterFactory factory =
                table.createWriterFactory(rowType, LakeWriteSpec.tableDefaults());
        try (LakeDataWriter writer = factory.create(0, 1, 0)) {
            for (long id = fromId; id < toId; id++) {
                writer.write(row(id, partitioned));
            }
            return writer.complete().orElseThrow();
        }
    }

    private static GenericRowData row(long id, boolean partitioned) {
        StringData name = StringData.fromString("name-" + id);
        return partitioned
                ? GenericRowData.of(id, name, StringData.fromString(id % 2 == 0 ? "even" : "odd"))
                : GenericRowData.of(id, name);
    }

    private static OptionalLong commit(String path, LakeWriteResult result, LakeCommitId id)
            throws IOException {
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            return table.commit(List.of(result), id);
        }
    }

    private static OptionalLong overwrite(String path, LakeWriteResult result, LakeCommitId id)
            throws IOException {
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            return table.commitOverwrite(List.of(result), id, LakeOverwrite.dynamic());
        }
    }

    private static List<Path> parquetFiles(String path) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(path))) {
            return files.filter(f -> f.toString().endsWith(".parquet")).toList();
        }
    }
}
