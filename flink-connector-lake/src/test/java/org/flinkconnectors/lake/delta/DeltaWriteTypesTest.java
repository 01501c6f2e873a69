package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeWriteResult;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;

import io.delta.kernel.Scan;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every writable Delta type through the column-wise write buffer, over more rows than one chunk
 * holds, with nulls, read back by Kernel's own scan; and the NOT NULL check.
 */
class DeltaWriteTypesTest {

    private static final StructType SCHEMA =
            new StructType()
                    .add("id", LongType.LONG, false)
                    .add("flag", BooleanType.BOOLEAN, true)
                    .add("tiny", ByteType.BYTE, true)
                    .add("small", ShortType.SHORT, true)
                    .add("num", IntegerType.INTEGER, true)
                    .add("ratio", FloatType.FLOAT, true)
                    .add("amount", DoubleType.DOUBLE, true)
                    .add("name", StringType.STRING, true)
                    .add("bytes", BinaryType.BINARY, true)
                    .add("day", DateType.DATE, true)
                    .add("ts", TimestampType.TIMESTAMP, true)
                    .add("local_ts", TimestampNTZType.TIMESTAMP_NTZ, true)
                    .add("price", new DecimalType(12, 3), true);

    private static final RowType ROW_TYPE = DeltaTypes.toRowType(SCHEMA);

    /** More than one chunk, and not a multiple of its size. */
    private static final int ROWS = DeltaFileBuffer.CHUNK_ROWS * 2 + 17;

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void createTables() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void everyWritableTypeAndNullsReadBackAsWritten() throws Exception {
        String path = tables.create("types", SCHEMA, List.of(), Map.of());
        List<String> expected = new ArrayList<>();
        try (LakeTable table = DeltaTableLoader.path(path).load()) {
            LakeWriteResult result;
            try (LakeDataWriter writer =
                    table.createWriterFactory(ROW_TYPE, LakeWriteSpec.tableDefaults())
                            .create(0, 1, 0)) {
                GenericRowData reused = new GenericRowData(SCHEMA.length());
                for (int id = 0; id < ROWS; id++) {
                    fill(reused, id);
                    writer.write(reused);
                    expected.add(text(id));
                }
                result = writer.complete().orElseThrow();
            }
            assertThat(result.recordCount()).isEqualTo(ROWS);
            table.commit(List.of(result), new LakeCommitId("job", "job", "op", 1));
        }
        assertThat(readAll(tables.engine(), path)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aNullInANotNullColumnFailsNamingIt() throws Exception {
        String path = tables.create("types", SCHEMA, List.of(), Map.of());
        try (LakeTable table = DeltaTableLoader.path(path).load();
                LakeDataWriter writer =
                        table.createWriterFactory(ROW_TYPE, LakeWriteSpec.tableDefaults())
                                .create(0, 1, 0)) {
            GenericRowData row = new GenericRowData(SCHEMA.length());
            fill(row, 3);
            row.setField(0, null);
            assertThatThrownBy(() -> writer.write(row))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'id'")
                    .hasMessageContaining("NOT NULL");
        }
    }

    /** Row {@code id}: every nullable column is null in every seventh row. */
    private static void fill(GenericRowData row, int id) {
        row.setField(0, (long) id);
        boolean nulls = id % 7 == 3;
        row.setField(1, nulls ? null : id % 2 == 0);
        row.setField(2, nulls ? null : (byte) (id % 100 - 50));
        row.setField(3, nulls ? null : (short) (id - 3000));
        row.setField(4, nulls ? null : id * -7);
        row.setField(5, nulls ? null : id / 4f);
        row.setField(6, nulls ? null : id * 1.5);
        row.setField(7, nulls ? null : StringData.fromString("name-" + id + "-é"));
        row.setField(8, nulls ? null : ("b" + id).getBytes(StandardCharsets.UTF_8));
        row.setField(9, nulls ? null : 19000 + id);
        row.setField(10, nulls ? null : TimestampData.fromEpochMillis(id * 1000L, 123_000));
        row.setField(11, nulls ? null : TimestampData.fromEpochMillis(-id * 1000L, 456_000));
        row.setField(
                12,
                nulls
                        ? null
                        : DecimalData.fromBigDecimal(BigDecimal.valueOf(id * 1001L, 3), 12, 3));
    }

    /** What {@link #readAll} makes of row {@code id}. */
    private static String text(int id) {
        if (id % 7 == 3) {
            return id + ",null,null,null,null,null,null,null,null,null,null,null,null";
        }
        return String.join(
                ",",
                String.valueOf(id),
                String.valueOf(id % 2 == 0),
                String.valueOf((byte) (id % 100 - 50)),
                String.valueOf((short) (id - 3000)),
                String.valueOf(id * -7),
                String.valueOf(id / 4f),
                String.valueOf(id * 1.5),
                "name-" + id + "-é",
                Arrays.toString(("b" + id).getBytes(StandardCharsets.UTF_8)),
                String.valueOf(19000 + id),
                String.valueOf(id * 1_000_000L + 123),
                String.valueOf(-id * 1_000_000L + 456),
                BigDecimal.valueOf(id * 1001L, 3).toPlainString());
    }

    private static List<String> readAll(Engine engine, String path) throws IOException {
        Scan scan = TableManager.loadSnapshot(path).build(engine).getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> scanFiles = files.next().getRows()) {
                    while (scanFiles.hasNext()) {
                        Row scanFile = scanFiles.next();
                        CloseableIterator<ColumnarBatch> physical =
                                engine.getParquetHandler()
                                        .readParquetFiles(
                                                Utils.singletonCloseableIterator(
                                                        InternalScanFileUtils.getAddFileStatus(
                                                                scanFile)),
                                                ScanStateRow.getPhysicalDataReadSchema(scanState),
                                                Optional.empty())
                                        .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                            while (logical.hasNext()) {
                                try (CloseableIterator<Row> batch = logical.next().getRows()) {
                                    batch.forEachRemaining(row -> rows.add(text(row)));
                                }
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    private static String text(Row row) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < SCHEMA.length(); i++) {
            values.add(row.isNullAt(i) ? "null" : value(row, i));
        }
        return String.join(",", values);
    }

    private static String value(Row row, int i) {
        return switch (i) {
            case 0, 10, 11 -> String.valueOf(row.getLong(i));
            case 1 -> String.valueOf(row.getBoolean(i));
            case 2 -> String.valueOf(row.getByte(i));
            case 3 -> String.valueOf(row.getShort(i));
            case 4, 9 -> String.valueOf(row.getInt(i));
            case 5 -> String.valueOf(row.getFloat(i));
            case 6 -> String.valueOf(row.getDouble(i));
            case 7 -> row.getString(i);
            case 8 -> Arrays.toString(row.getBinary(i));
            default -> row.getDecimal(i).toPlainString();
        };
    }
}
