package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeWriteResult;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One memory budget over all partitions a Delta writer buffers ({@code sink.buffer-memory}): the
 * buffers never hold more than the budget plus the row just written, the largest is the one written
 * out early, and every row arrives exactly once (read back by Kernel).
 */
class DeltaWriterBufferMemoryTest {

    private static final RowType ROW_TYPE =
            DeltaTypes.toRowType(DeltaTestTables.PARTITIONED_SCHEMA);

    private static final int NAME_LENGTH = 100;

    /** The estimated bytes of one row: 8 for the id, 8 plus the length of each string. */
    private static final long ROW_BYTES = 8 + (8 + NAME_LENGTH) + (8 + 4);

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void createTables() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void fiveHundredPartitionsStayWithinTheBudget() throws Exception {
        String path = tables.createPartitioned("days");
        long budget = 1L << 20;
        int rows = 10_000;
        LakeWriteResult result;
        try (LakeTable table = DeltaTableLoader.path(path).load();
                DeltaDataWriter writer = writer(table, budget)) {
            for (long id = 0; id < rows; id++) {
                writer.write(row(id, day(id % 500)));
                assertThat(writer.bufferedBytes())
                        .as("buffered after row %s", id)
                        .isLessThanOrEqualTo(budget + ROW_BYTES);
            }
            assertThat(writer.peakBufferedBytes()).isGreaterThan(budget - ROW_BYTES);
            result = writer.complete().orElseThrow();
        }
        // More files than partitions: buffers were written out before the checkpoint.
        assertThat(result.fileCount()).isGreaterThan(500);
        assertThat(result.recordCount()).isEqualTo(rows);
        commit(path, result);

        assertThat(DeltaKernelReads.rows(tables.engine(), path))
                .containsExactlyInAnyOrderElementsOf(expected(0, rows, id -> day(id % 500)));
        assertThat(tables.dataFiles("days").stream().map(f -> f.path().split("/")[0]))
                .containsAll(List.of("day=d000", "day=d499"));
    }

    @Test
    void theLargestBufferIsWrittenOutWhenTheBudgetIsExceeded() throws Exception {
        String path = tables.createPartitioned("abc");
        long budget = 300 * ROW_BYTES;
        try (LakeTable table = DeltaTableLoader.path(path).load();
                DeltaDataWriter writer = writer(table, budget)) {
            write(writer, 0, 150, "aaaa");
            write(writer, 1000, 120, "bbbb");
            write(writer, 2000, 30, "cccc");
            assertThat(writer.bufferedBytes()).isEqualTo(300 * ROW_BYTES);
            assertThat(parquetFiles(path)).isEmpty();

            write(writer, 1120, 1, "bbbb"); // exceeds the budget
            // a, the largest though not the one written to, was written out as a file.
            assertThat(writer.bufferedBytes()).isEqualTo(151 * ROW_BYTES);
            assertThat(parquetFiles(path))
                    .singleElement()
                    .satisfies(
                            file ->
                                    assertThat(file.getParent().getFileName())
                                            .hasToString("day=aaaa"));

            LakeWriteResult result = writer.complete().orElseThrow();
            // a's later buffer is empty: one file each.
            assertThat(result.fileCount()).isEqualTo(3);
            commit(path, result);
        }
        assertThat(DeltaKernelReads.rows(tables.engine(), path)).hasSize(301);
    }

    private static DeltaDataWriter writer(LakeTable table, long budget) throws IOException {
        return (DeltaDataWriter)
                table.createWriterFactory(ROW_TYPE, new LakeWriteSpec(null, budget))
                        .create(0, 1, 0);
    }

    private static void write(DeltaDataWriter writer, long from, int count, String day)
            throws IOException {
        for (long id = from; id < from + count; id++) {
            writer.write(row(id, day));
        }
    }

    /** Four characters, so every row has the same estimated size. */
    private static String day(long n) {
        return String.format("d%03d", n);
    }

    private static GenericRowData row(long id, String day) {
        return GenericRowData.of(id, StringData.fromString(name(id)), StringData.fromString(day));
    }

    private static String name(long id) {
        String digits = Long.toString(id);
        return digits + "x".repeat(NAME_LENGTH - digits.length());
    }

    private static List<String> expected(long from, long to, LongFunction<String> day) {
        return LongStream.range(from, to)
                .mapToObj(id -> id + "," + name(id) + "," + day.apply(id))
                .collect(Collectors.toList());
    }

    private void commit(String path, LakeWriteResult result) throws IOException {
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            assertThat(table.commit(List.of(result), new LakeCommitId("job", "job", "op", 1)))
                    .isPresent();
        }
    }

    private static List<Path> parquetFiles(String path) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(path))) {
            return files.filter(f -> f.toString().endsWith(".parquet")).toList();
        }
    }
}
