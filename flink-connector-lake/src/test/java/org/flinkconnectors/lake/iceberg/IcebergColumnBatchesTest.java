package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeColumnBatch;
import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.testutils.IcebergTestTables;
import org.flinkconnectors.lake.testutils.LakeColumnBatchReads;

import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.lake.testutils.LakeColumnBatchReads.batchRows;
import static org.flinkconnectors.lake.testutils.LakeColumnBatchReads.rowReaderRows;

/**
 * Column batches read every split of real Iceberg tables exactly as Iceberg's row reader does: all
 * vector types with nulls, dictionary and plain pages, several row groups and splits per file,
 * identity partition constants, projection, row filters, restored positions and schema changes.
 */
class IcebergColumnBatchesTest {

    private static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "flag", Types.BooleanType.get()),
                    Types.NestedField.optional(3, "small", Types.IntegerType.get()),
                    Types.NestedField.optional(4, "ratio", Types.FloatType.get()),
                    Types.NestedField.optional(5, "score", Types.DoubleType.get()),
                    Types.NestedField.optional(6, "day", Types.DateType.get()),
                    Types.NestedField.optional(7, "d5", Types.DecimalType.of(5, 2)),
                    Types.NestedField.optional(8, "d15", Types.DecimalType.of(15, 3)),
                    Types.NestedField.optional(9, "d30", Types.DecimalType.of(30, 5)),
                    Types.NestedField.optional(10, "name", Types.StringType.get()),
                    Types.NestedField.optional(11, "text", Types.StringType.get()),
                    Types.NestedField.optional(12, "payload", Types.BinaryType.get()),
                    Types.NestedField.optional(13, "ts", Types.TimestampType.withoutZone()),
                    Types.NestedField.optional(14, "tstz", Types.TimestampType.withZone()),
                    Types.NestedField.optional(15, "part", Types.StringType.get()));

    private static final int ROWS = 6_000;

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;

    @BeforeEach
    void createTable() {
        tables = new IcebergTestTables(warehouse);
        table =
                tables.create(
                        "typed", SCHEMA, PartitionSpec.builderFor(SCHEMA).identity("part").build());
    }

    @Test
    void batchesReadEverySplitAsTheRowReaderDoes() throws Exception {
        append(table, "a", 0, ROWS);
        append(table, "b", ROWS, ROWS + 500);
        LakeScanSpec spec = LakeScanSpec.builder().splitSizeBytes(32 * 1024).build();

        List<String> rows = assertSameRowsOnBothPaths(spec);

        assertThat(rows).hasSize(ROWS + 500);
        assertThat(rows).contains(expectedText(17, "a"), expectedText(ROWS + 3, "b"));
    }

    @Test
    void projectionAndRowFiltersMatchTheRowReader() throws Exception {
        append(table, "a", 0, ROWS);
        LakeScanSpec spec =
                LakeScanSpec.builder()
                        .project(List.of("text", "part", "d15", "id"))
                        .filter(LakePredicate.greaterThan("id", 2_500L))
                        .filter(LakePredicate.lessThan("id", 4_000L))
                        .splitSizeBytes(32 * 1024)
                        .build();

        List<String> rows = assertSameRowsOnBothPaths(spec);

        assertThat(rows).hasSize(4_000 - 2_500 - 1).allMatch(row -> row.contains(",a,"));
    }

    @Test
    void restoredSplitsSkipTheRowsTheyEmitted() throws Exception {
        append(table, "a", 0, ROWS);
        LakeScanSpec spec =
                LakeScanSpec.builder().filter(LakePredicate.greaterThan("id", 100L)).build();
        try (LakeTable lake = IcebergTableLoader.hadoop(tables.warehouse(), "db", "typed").load()) {
            long version = table.currentSnapshot().snapshotId();
            LakeReaderFactory readers = lake.createReaderFactory(OptionalLong.of(version), spec);
            RowType type = lake.producedType(OptionalLong.of(version), spec);
            int restored = 0;
            for (LakeSplit split : lake.planSplits(version, spec)) {
                int rows = rowReaderRows(readers, split, type).size();
                for (long skip : new long[] {1, 1_023, 1_024, rows - 1, rows}) {
                    if (skip > rows) {
                        continue;
                    }
                    LakeSplit resumed = split.withRecordsToSkip(skip);
                    List<String> batches = batchRows(readers, resumed, type);
                    assertThat(batches).isEqualTo(rowReaderRows(readers, resumed, type));
                    assertThat(batches).hasSize((int) (rows - skip));
                    restored += batches.size();
                }
            }
            assertThat(restored).isPositive();
        }
    }

    @Test
    void renamedAndAddedColumnsReadAsTheRowReaderReadsThem() throws Exception {
        append(table, "a", 0, 2_000);
        table.updateSchema()
                .renameColumn("text", "label")
                .addColumn("added", Types.LongType.get())
                .commit();
        Record row = GenericRecord.create(table.schema());
        row.setField("id", -1L);
        row.setField("label", "after");
        row.setField("added", 42L);
        row.setField("part", "a");
        appendRecords(table, List.of(row));

        List<String> rows = assertSameRowsOnBothPaths(LakeScanSpec.latest());

        assertThat(rows)
                .hasSize(2_001)
                .contains(expectedText(5, "a").replaceFirst(",a$", ",a,null"));
        assertThat(rows)
                .anyMatch(r -> r.startsWith("-1,") && r.contains(",after,") && r.endsWith(",a,42"));
    }

    @Test
    void positionDeletesAreAMaskOverTheFileAcrossRowGroupsAndSplits() throws Exception {
        Table unpartitioned = tables.create("deleted", SCHEMA);
        List<Record> records = new ArrayList<>();
        for (long id = 0; id < ROWS; id++) {
            records.add(record(id, "a"));
        }
        DataFile file = appendRecords(unpartitioned, records);
        long[] positions = {0, 1, 500, 1_023, 1_024, 1_025, 2_999, 4_100, ROWS - 1};
        IcebergTestTables.deletePositions(unpartitioned, file, positions);
        LakeScanSpec spec = LakeScanSpec.builder().splitSizeBytes(32 * 1024).build();

        List<String> rows = assertSameRowsOnBothPaths(unpartitioned, spec);

        assertThat(rows).hasSize(ROWS - positions.length);
        assertThat(file.splitOffsets()).as("row groups").hasSizeGreaterThan(3);
        try (LakeTable lake =
                IcebergTableLoader.hadoop(tables.warehouse(), "db", "deleted").load()) {
            long version = unpartitioned.currentSnapshot().snapshotId();
            assertThat(lake.planSplits(version, spec)).hasSizeGreaterThan(1);
        }
        assertThat(rows).noneMatch(row -> row.startsWith("1024,") || row.startsWith("4100,"));
        assertThat(rows).anyMatch(row -> row.startsWith("1026,"));
    }

    @Test
    void tablePropertiesSetTheBatchSizeOrTurnBatchesOff() throws Exception {
        append(table, "a", 0, 1_000);
        table.updateProperties().set(TableProperties.PARQUET_BATCH_SIZE, "100").commit();
        List<LakeSplit> splits = planned(LakeScanSpec.latest());
        LakeReaderFactory readers = readers(LakeScanSpec.latest());

        int total = 0;
        for (LakeSplit split : splits) {
            try (CloseableIterator<LakeColumnBatch> batches =
                    readers.openBatches(split).orElseThrow()) {
                while (batches.hasNext()) {
                    LakeColumnBatch batch = batches.next();
                    assertThat(batch.size()).isLessThanOrEqualTo(100);
                    total += batch.liveRows();
                }
            }
        }
        assertThat(total).isEqualTo(1_000);

        table.updateProperties()
                .set(TableProperties.PARQUET_VECTORIZATION_ENABLED, "false")
                .commit();
        assertThat(readers(LakeScanSpec.latest()).openBatches(splits.get(0))).isEmpty();
    }

    @Test
    void filtersOnColumnsNotReadKeepTheRowPath() throws Exception {
        append(table, "a", 0, 1_000);
        LakeScanSpec spec =
                LakeScanSpec.builder()
                        .project(List.of("id"))
                        .filter(LakePredicate.lessThan("small", 0))
                        .build();

        assertThat(readers(spec).openBatches(planned(spec).get(0))).isEmpty();
    }

    private List<LakeSplit> planned(LakeScanSpec spec) throws Exception {
        try (LakeTable lake = IcebergTableLoader.hadoop(tables.warehouse(), "db", "typed").load()) {
            table.refresh();
            return lake.planSplits(table.currentSnapshot().snapshotId(), spec);
        }
    }

    private LakeReaderFactory readers(LakeScanSpec spec) throws Exception {
        try (LakeTable lake = IcebergTableLoader.hadoop(tables.warehouse(), "db", "typed").load()) {
            table.refresh();
            return lake.createReaderFactory(
                    OptionalLong.of(table.currentSnapshot().snapshotId()), spec);
        }
    }

    @Test
    void filesWithEqualityDeletesAndTypesVectorsDoNotReadStayOnTheRowPath() throws Exception {
        Table plain = tables.create("plain");
        DataFile file = IcebergTestTables.writeDataFile(plain, 0, 10);
        plain.newAppend().appendFile(file).commit();
        long version = IcebergTestTables.deleteIds(plain, 3);
        Table timed =
                tables.create(
                        "timed",
                        new Schema(Types.NestedField.optional(1, "at", Types.TimeType.get())));
        Record time = GenericRecord.create(timed.schema());
        time.setField("at", LocalTime.of(1, 2, 3));
        appendRecords(timed, List.of(time));

        try (LakeTable lake = IcebergTableLoader.hadoop(tables.warehouse(), "db", "plain").load();
                LakeTable timedLake =
                        IcebergTableLoader.hadoop(tables.warehouse(), "db", "timed").load()) {
            LakeSplit split = lake.planSplits(version, LakeScanSpec.latest()).get(0);
            assertThat(
                            lake.createReaderFactory(
                                            OptionalLong.of(version), LakeScanSpec.latest())
                                    .openBatches(split))
                    .isEmpty();
            long timedVersion = timed.currentSnapshot().snapshotId();
            LakeSplit timedSplit = timedLake.planSplits(timedVersion, LakeScanSpec.latest()).get(0);
            assertThat(
                            timedLake
                                    .createReaderFactory(
                                            OptionalLong.of(timedVersion), LakeScanSpec.latest())
                                    .openBatches(timedSplit))
                    .isEmpty();
        }
    }

    /** Reads every split on both paths, checks batches were used and the rows agree. */
    private List<String> assertSameRowsOnBothPaths(LakeScanSpec spec) throws Exception {
        return assertSameRowsOnBothPaths(table, spec);
    }

    private List<String> assertSameRowsOnBothPaths(Table table, LakeScanSpec spec)
            throws Exception {
        String name = table.name().substring(table.name().lastIndexOf('.') + 1);
        try (LakeTable lake = IcebergTableLoader.hadoop(tables.warehouse(), "db", name).load()) {
            table.refresh();
            long version = table.currentSnapshot().snapshotId();
            return LakeColumnBatchReads.assertSameRowsOnBothPaths(lake, version, spec);
        }
    }

    /** The text of row {@code id} on both paths (all columns, unprojected). */
    private static String expectedText(long id, String part) {
        Record record = record(id, part);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < SCHEMA.columns().size(); i++) {
            Object value = record.get(i);
            text.append(i == 0 ? "" : ",").append(flinkText(value));
        }
        return text.toString();
    }

    private static String flinkText(Object value) {
        if (value instanceof ByteBuffer buffer) {
            return new String(buffer.array());
        }
        if (value instanceof LocalDate date) {
            return String.valueOf(date.toEpochDay());
        }
        if (value instanceof LocalDateTime time) {
            return time.toString();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toLocalDateTime().toString();
        }
        return String.valueOf(value);
    }

    private static void append(Table table, String part, long from, long to) throws Exception {
        List<Record> records = new ArrayList<>();
        for (long id = from; id < to; id++) {
            records.add(record(id, part));
        }
        appendRecords(table, records);
    }

    /** One file with small row groups and pages, so that it has several of each. */
    private static DataFile appendRecords(Table table, List<Record> records) throws Exception {
        GenericAppenderFactory factory =
                new GenericAppenderFactory(table.schema(), table.spec())
                        .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "32768")
                        .set(TableProperties.PARQUET_PAGE_SIZE_BYTES, "4096");
        String location =
                table.locationProvider().newDataLocation("part-" + UUID.randomUUID() + ".parquet");
        org.apache.iceberg.PartitionKey key =
                new org.apache.iceberg.PartitionKey(table.spec(), table.schema());
        key.partition(records.get(0));
        DataWriter<Record> writer =
                factory.newDataWriter(
                        EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(location)),
                        FileFormat.PARQUET,
                        table.spec().isUnpartitioned() ? null : key);
        try (writer) {
            records.forEach(writer::write);
        }
        table.newAppend().appendFile(writer.toDataFile()).commit();
        return writer.toDataFile();
    }

    private static Record record(long id, String part) {
        Record row = GenericRecord.create(SCHEMA);
        boolean nulls = id % 7 == 3;
        row.setField("id", id);
        row.setField("flag", nulls ? null : id % 2 == 0);
        row.setField("small", nulls ? null : (int) (id % 1000) - 500);
        row.setField("ratio", nulls ? null : id / 3f);
        row.setField("score", nulls ? null : -id / 7d);
        row.setField("day", nulls ? null : LocalDate.of(1960, 1, 1).plusDays(id));
        row.setField("d5", nulls ? null : BigDecimal.valueOf(id % 100_000 - 50_000, 2));
        row.setField("d15", nulls ? null : BigDecimal.valueOf(id * 1_000_003L, 3));
        row.setField(
                "d30",
                nulls
                        ? null
                        : new BigDecimal("-123456789012345678901.12345")
                                .add(BigDecimal.valueOf(id)));
        row.setField("name", nulls ? null : "name-" + id % 5);
        row.setField("text", "text-" + id);
        row.setField("payload", nulls ? null : ByteBuffer.wrap(("p" + id).getBytes()));
        // Before and after 1970, with microseconds.
        LocalDateTime time = LocalDateTime.of(1969, 12, 31, 23, 59, 59).plusNanos(id * 1_001_000L);
        row.setField("ts", nulls ? null : time);
        row.setField("tstz", nulls ? null : time.atOffset(ZoneOffset.UTC));
        row.setField("part", part);
        return row;
    }
}
