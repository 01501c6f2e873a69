package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Delta types become Flink types, and values written by Kernel read back as Flink's. */
class DeltaTypesTest {

    private static final StructType PRIMITIVES =
            new StructType()
                    .add("b", BooleanType.BOOLEAN)
                    .add("t", ByteType.BYTE)
                    .add("s", ShortType.SHORT)
                    .add("i", IntegerType.INTEGER)
                    .add("l", LongType.LONG)
                    .add("f", FloatType.FLOAT)
                    .add("d", DoubleType.DOUBLE)
                    .add("str", StringType.STRING)
                    .add("bin", BinaryType.BINARY)
                    .add("dt", DateType.DATE)
                    .add("ts", TimestampType.TIMESTAMP)
                    .add("ntz", TimestampNTZType.TIMESTAMP_NTZ)
                    .add("dec", new DecimalType(10, 2));

    @TempDir Path root;

    @Test
    void primitiveValuesAndNullsReadBackAsFlinkData() throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root);
        tables.create("types", PRIMITIVES, List.of(), Map.of());
        LocalDate date = LocalDate.of(2024, 2, 29);
        Instant instant = Instant.parse("2024-02-29T12:34:56.123456Z");
        LocalDateTime local = LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4_000);
        long instantMicros = instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
        long localMicros =
                local.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + local.getNano() / 1_000;
        Object[] values = {
            true,
            (byte) -7,
            (short) 300,
            70_000,
            5_000_000_000L,
            1.5f,
            -2.25d,
            "text",
            new byte[] {1, 2, 3},
            (int) date.toEpochDay(),
            instantMicros,
            localMicros,
            new BigDecimal("12345678.90")
        };
        tables.appendRows("types", Map.of(), List.of(values, new Object[values.length]));

        try (LakeTable table = DeltaTableLoader.path(tables.path("types")).load()) {
            RowType type = table.producedType(OptionalLong.empty(), LakeScanSpec.latest());
            assertThat(type.asSummaryString())
                    .isEqualTo(
                            "ROW<`b` BOOLEAN, `t` TINYINT, `s` SMALLINT, `i` INT, `l` BIGINT,"
                                    + " `f` FLOAT, `d` DOUBLE, `str` STRING, `bin` BYTES,"
                                    + " `dt` DATE, `ts` TIMESTAMP_LTZ(6), `ntz` TIMESTAMP(6),"
                                    + " `dec` DECIMAL(10, 2)>");

            List<RowData> rows = readAll(table, type);
            GenericRowData full = (GenericRowData) rows.get(0);
            assertThat(full.getBoolean(0)).isTrue();
            assertThat(full.getByte(1)).isEqualTo((byte) -7);
            assertThat(full.getShort(2)).isEqualTo((short) 300);
            assertThat(full.getInt(3)).isEqualTo(70_000);
            assertThat(full.getLong(4)).isEqualTo(5_000_000_000L);
            assertThat(full.getFloat(5)).isEqualTo(1.5f);
            assertThat(full.getDouble(6)).isEqualTo(-2.25d);
            assertThat(full.getString(7).toString()).isEqualTo("text");
            assertThat(full.getBinary(8)).containsExactly(1, 2, 3);
            assertThat(full.getInt(9)).isEqualTo((int) date.toEpochDay());
            assertThat(full.getTimestamp(10, 6)).isEqualTo(TimestampData.fromInstant(instant));
            assertThat(full.getTimestamp(11, 6)).isEqualTo(TimestampData.fromLocalDateTime(local));
            assertThat(full.getDecimal(12, 10, 2))
                    .isEqualTo(DecimalData.fromBigDecimal(new BigDecimal("12345678.90"), 10, 2));
            RowData empty = rows.get(1);
            for (int i = 0; i < values.length; i++) {
                assertThat(empty.isNullAt(i)).as("column %s", i).isTrue();
            }
        }
    }

    @Test
    void nestedTypesConvertWithTheirNullability() {
        StructType schema =
                new StructType()
                        .add("tags", new ArrayType(StringType.STRING, false), false)
                        .add("counts", new MapType(StringType.STRING, LongType.LONG, true))
                        .add(
                                "address",
                                new StructType()
                                        .add("city", StringType.STRING)
                                        .add("zip", IntegerType.INTEGER, false));

        assertThat(DeltaTypes.toRowType(schema).asSummaryString())
                .isEqualTo(
                        "ROW<`tags` ARRAY<STRING NOT NULL> NOT NULL, `counts` MAP<STRING NOT NULL,"
                                + " BIGINT>, `address` ROW<`city` STRING, `zip` INT NOT NULL>>");
    }

    private static List<RowData> readAll(LakeTable table, RowType type) throws Exception {
        long version = table.resolveVersion(LakeScanSpec.latest().version()).getAsLong();
        LakeReaderFactory reader =
                table.createReaderFactory(OptionalLong.of(version), LakeScanSpec.latest());
        RowDataSerializer copier = new RowDataSerializer(type);
        List<RowData> rows = new ArrayList<>();
        for (LakeSplit split : table.planSplits(version, LakeScanSpec.latest())) {
            try (CloseableIterator<RowData> it = reader.open(split)) {
                // Rows are reused by the reader; copy them to keep them.
                it.forEachRemaining(row -> rows.add(copier.copy(row)));
            }
        }
        return rows;
    }
}
