package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.testutils.DeltaDeletionVectors;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.LakeColumnBatchReads;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.lake.testutils.LakeColumnBatchReads.batchRows;
import static org.flinkconnectors.lake.testutils.LakeColumnBatchReads.rowReaderRows;

/**
 * Column batches over Kernel's vectors read every split of real Delta tables exactly as the row
 * path does: all scalar types with nulls, several Kernel batches per file (Kernel reads 1,024 rows
 * a batch), partition values, projection, deletion vectors inline and in files, column mapping,
 * restored positions; nested read schemas and change splits stay on the row path.
 */
class DeltaColumnBatchesTest {

    private static final StructType SCALARS =
            new StructType()
                    .add("id", LongType.LONG, false)
                    .add("b", BooleanType.BOOLEAN)
                    .add("t", ByteType.BYTE)
                    .add("s", ShortType.SHORT)
                    .add("i", IntegerType.INTEGER)
                    .add("f", FloatType.FLOAT)
                    .add("d", DoubleType.DOUBLE)
                    .add("str", StringType.STRING)
                    .add("bin", BinaryType.BINARY)
                    .add("dt", DateType.DATE)
                    .add("ts", TimestampType.TIMESTAMP)
                    .add("ntz", TimestampNTZType.TIMESTAMP_NTZ)
                    .add("d5", new DecimalType(5, 2))
                    .add("d15", new DecimalType(15, 3))
                    .add("d30", new DecimalType(30, 5));

    private static final StructType PARTITIONED = SCALARS.add("part", StringType.STRING);

    /** More than two of Kernel's batches of 1,024 rows. */
    private static final int ROWS = 2_500;

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void batchesReadEveryScalarTypeAndPartitionValueAsTheRowPathDoes() throws Exception {
        tables.create("typed", PARTITIONED, List.of("part"), Map.of());
        appendPartition("typed", "a", 0, ROWS);
        appendPartition("typed", "b", ROWS, ROWS + 300);
        appendPartition("typed", null, ROWS + 300, ROWS + 310);

        List<String> rows = assertSameRowsOnBothPaths("typed", LakeScanSpec.latest());

        assertThat(rows)
                .hasSize(ROWS + 310)
                .contains(
                        expectedText(17, "a"),
                        expectedText(3, "a"),
                        expectedText(1_500, "a"),
                        expectedText(ROWS + 3, "b"),
                        expectedText(ROWS + 305, null));
    }

    @Test
    void projectionsReadTheirColumnsInTheirOrder() throws Exception {
        tables.create("typed", PARTITIONED, List.of("part"), Map.of());
        appendPartition("typed", "a", 0, ROWS);
        LakeScanSpec spec =
                LakeScanSpec.builder().project(List.of("str", "part", "d15", "ts", "id")).build();

        List<String> rows = assertSameRowsOnBothPaths("typed", spec);

        assertThat(rows)
                .hasSize(ROWS)
                .contains("text-ü名-1500,a,1500001.500," + time(1_500) + ",1500")
                .contains("text-ü名-3,a,null,null,3");
    }

    @Test
    void deletionVectorsAreAMaskAcrossKernelBatches() throws Exception {
        tables.create("dv", SCALARS, List.of(), Map.of("delta.enableDeletionVectors", "true"));
        DeltaTestTables.DataFile first = tables.addedIn("dv", append("dv", 0, ROWS));
        DeltaTestTables.DataFile second = tables.addedIn("dv", append("dv", ROWS, 2 * ROWS));
        append("dv", 2 * ROWS, 2 * ROWS + 100);
        long[] inline = {0, 1, 500, 1_023, 1_024, 1_025, ROWS - 1};
        DeltaDeletionVectors.delete(
                tables, "dv", first, DeltaDeletionVectors.Storage.INLINE, inline);
        // Every row of the second file's first Kernel batch, and one more.
        long[] inFile = new long[1_025];
        for (int i = 0; i < inFile.length; i++) {
            inFile[i] = i;
        }
        DeltaDeletionVectors.delete(
                tables, "dv", second, DeltaDeletionVectors.Storage.UUID_FILE, inFile);

        List<String> rows = assertSameRowsOnBothPaths("dv", LakeScanSpec.latest());

        assertThat(rows).hasSize(2 * ROWS + 100 - inline.length - inFile.length);
        assertThat(rows)
                .noneMatch(row -> row.startsWith("1024,") || row.startsWith("1023,"))
                .noneMatch(row -> row.startsWith(ROWS + 1_024 + ","))
                .contains(expectedText(1_026), expectedText(ROWS + 1_025));
    }

    @Test
    void restoredSplitsSkipTheRowsTheyEmittedAcrossBatchBoundaries() throws Exception {
        tables.create("dv", SCALARS, List.of(), Map.of("delta.enableDeletionVectors", "true"));
        DeltaTestTables.DataFile deleted = tables.addedIn("dv", append("dv", 0, ROWS));
        append("dv", ROWS, 2 * ROWS);
        long version =
                DeltaDeletionVectors.delete(
                        tables,
                        "dv",
                        deleted,
                        DeltaDeletionVectors.Storage.INLINE,
                        2,
                        1_030,
                        2_047);

        int restored = 0;
        try (LakeTable lake = DeltaTableLoader.path(tables.path("dv")).load()) {
            LakeReaderFactory readers =
                    lake.createReaderFactory(OptionalLong.of(version), LakeScanSpec.latest());
            RowType type = lake.producedType(OptionalLong.of(version), LakeScanSpec.latest());
            List<LakeSplit> splits = lake.planSplits(version, LakeScanSpec.latest());
            assertThat(splits).hasSize(2);
            for (LakeSplit split : splits) {
                int rows = rowReaderRows(readers, split, type).size();
                for (long skip : new long[] {1, 3, 1_023, 1_024, 1_025, 2_048, rows - 1, rows}) {
                    LakeSplit resumed = split.withRecordsToSkip(skip);
                    List<String> batches = batchRows(readers, resumed, type);
                    assertThat(batches)
                            .as("split %s after %s rows", split.splitId(), skip)
                            .isEqualTo(rowReaderRows(readers, resumed, type))
                            .hasSize((int) (rows - skip));
                    restored += batches.size();
                }
            }
        }
        assertThat(restored).isPositive();
    }

    @Test
    void columnMappedTablesReadRenamedColumnsOnBothPaths() throws Exception {
        tables.create("cm", SCALARS, List.of(), Map.of("delta.columnMapping.mode", "name"));
        List<Object[]> values = new ArrayList<>();
        for (long id = 0; id < ROWS; id++) {
            values.add(values(id));
        }
        tables.appendColumnMapped("cm", values);
        tables.renameColumn("cm", "str", "label");

        List<String> rows = assertSameRowsOnBothPaths("cm", LakeScanSpec.latest());
        List<String> projected =
                assertSameRowsOnBothPaths(
                        "cm", LakeScanSpec.builder().project(List.of("label", "id")).build());

        assertThat(rows).hasSize(ROWS).contains(expectedText(42));
        assertThat(projected).hasSize(ROWS).contains("text-ü名-42,42");
    }

    @Test
    void nestedReadSchemasAndChangeSplitsStayOnTheRowPath() throws Exception {
        StructType nested =
                new StructType()
                        .add("id", LongType.LONG, false)
                        .add("tags", new ArrayType(StringType.STRING, true))
                        .add("counts", new MapType(StringType.STRING, LongType.LONG, true))
                        .add("address", new StructType().add("city", StringType.STRING));
        tables.create("nested", nested, List.of(), Map.of());
        tables.appendRows(
                "nested",
                Map.of(),
                List.<Object[]>of(
                        new Object[] {1L, null, null, null}, new Object[] {2L, null, null, null}));
        tables.create("plain", Map.of());
        tables.append("plain", 0, 10);

        try (LakeTable lake = DeltaTableLoader.path(tables.path("nested")).load();
                LakeTable plain = DeltaTableLoader.path(tables.path("plain")).load()) {
            LakeSplit split = lake.planSplits(1, LakeScanSpec.latest()).get(0);
            assertThat(
                            lake.createReaderFactory(OptionalLong.of(1), LakeScanSpec.latest())
                                    .openBatches(split))
                    .isEmpty();
            LakeScanSpec scalarOnly = LakeScanSpec.builder().project(List.of("id")).build();
            LakeReaderFactory ids = lake.createReaderFactory(OptionalLong.of(1), scalarOnly);
            LakeSplit idSplit = lake.planSplits(1, scalarOnly).get(0);
            RowType idType = lake.producedType(OptionalLong.of(1), scalarOnly);
            assertThat(batchRows(ids, idSplit, idType)).containsExactly("1", "2");

            LakeSplit change = plain.planIncrement(1, DeltaChangeReads.CHANGELOG).splits().get(0);
            LakeReaderFactory changes =
                    plain.createReaderFactory(OptionalLong.of(1), DeltaChangeReads.CHANGELOG);
            assertThat(change.changePhase()).isPresent();
            assertThat(changes.openBatches(change)).isEmpty();
            try (CloseableIterator<RowData> rows = changes.open(change)) {
                assertThat(rows.next().getLong(0)).isZero();
            }
        }
    }

    private List<String> assertSameRowsOnBothPaths(String table, LakeScanSpec spec)
            throws Exception {
        try (LakeTable lake = DeltaTableLoader.path(tables.path(table)).load()) {
            long version = lake.resolveVersion(spec.version()).getAsLong();
            return LakeColumnBatchReads.assertSameRowsOnBothPaths(lake, version, spec);
        }
    }

    private long append(String table, long from, long to) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            rows.add(values(id));
        }
        return tables.appendRows(table, Map.of(), rows);
    }

    private void appendPartition(String table, String part, long from, long to) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            Object[] scalars = values(id);
            Object[] row = Arrays.copyOf(scalars, scalars.length + 1);
            row[scalars.length] = part;
            rows.add(row);
        }
        Literal value = part == null ? Literal.ofNull(StringType.STRING) : Literal.ofString(part);
        tables.appendRows(table, Map.of("part", value), rows);
    }

    /** Row {@code id} of {@link #SCALARS} as Kernel's vectors hold it; every 7th has nulls. */
    private static Object[] values(long id) {
        boolean nulls = id % 7 == 3;
        LocalDateTime time = time(id);
        long micros = time.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + time.getNano() / 1_000;
        return new Object[] {
            id,
            nulls ? null : id % 2 == 0,
            nulls ? null : (byte) (id % 200 - 100),
            nulls ? null : (short) (id % 20_000 - 10_000),
            nulls ? null : (int) (id % 1000) - 500,
            nulls ? null : id / 3f,
            nulls ? null : -id / 7d,
            "text-ü名-" + id,
            nulls ? null : ("p" + id).getBytes(StandardCharsets.UTF_8),
            nulls ? null : (int) day(id).toEpochDay(),
            nulls ? null : micros,
            nulls ? null : micros,
            nulls ? null : BigDecimal.valueOf(id % 100_000 - 50_000, 2),
            nulls ? null : BigDecimal.valueOf(id * 1_000_001L, 3),
            nulls
                    ? null
                    : new BigDecimal("-123456789012345678901.12345").add(BigDecimal.valueOf(id))
        };
    }

    /** Before and after 1970, with microseconds. */
    private static LocalDateTime time(long id) {
        return LocalDateTime.of(1969, 12, 31, 23, 59, 59).plusNanos(id * 1_001_000L);
    }

    private static LocalDate day(long id) {
        return LocalDate.of(1960, 1, 1).plusDays(id);
    }

    /** The text of row {@code id} of a partitioned table, partition last. */
    private static String expectedText(long id, String part) {
        return expectedText(id) + "," + part;
    }

    /** The text of row {@code id} as Flink shows its values (all columns, unprojected). */
    private static String expectedText(long id) {
        Object[] values = values(id);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            String shown;
            if (value == null) {
                shown = "null";
            } else if (i == 8) {
                shown = new String((byte[]) value, StandardCharsets.UTF_8);
            } else if (i == 10 || i == 11) {
                shown = time(id).toString();
            } else {
                shown = value.toString();
            }
            text.append(i == 0 ? "" : ",").append(shown);
        }
        return text.toString();
    }
}
