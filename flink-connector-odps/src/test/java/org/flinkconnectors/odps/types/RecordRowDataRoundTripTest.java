package org.flinkconnectors.odps.types;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.InstantiationUtil;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.type.TypeInfoParser;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.flink.table.api.DataTypes.FIELD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink row to record, through the tunnel's wire format, and back to a Flink row, for a table with
 * every supported type: what a job writes is what a job reads.
 */
class RecordRowDataRoundTripTest {

    private static final String[][] DATA_COLUMNS = {
        {"c_boolean", "BOOLEAN"},
        {"c_tinyint", "TINYINT"},
        {"c_smallint", "SMALLINT"},
        {"c_int", "INT"},
        {"c_bigint", "BIGINT"},
        {"c_float", "FLOAT"},
        {"c_double", "DOUBLE"},
        {"c_decimal", "DECIMAL(12,2)"},
        {"c_old_decimal", "DECIMAL"},
        {"c_char", "CHAR(5)"},
        {"c_varchar", "VARCHAR(10)"},
        {"c_string", "STRING"},
        {"c_binary", "BINARY"},
        {"c_date", "DATE"},
        {"c_datetime", "DATETIME"},
        {"c_timestamp", "TIMESTAMP"},
        {"c_timestamp_ntz", "TIMESTAMP_NTZ"},
        {"c_array", "ARRAY<STRING>"},
        {"c_map", "MAP<STRING,BIGINT>"},
        {
            "c_struct",
            "STRUCT<name:VARCHAR(8),at:TIMESTAMP,tags:ARRAY<INT>,inner:STRUCT<d:DATE,b:BINARY>>"
        },
    };

    /** Nanoseconds the tunnel keeps for TIMESTAMP and TIMESTAMP_NTZ. */
    private static final Instant INSTANT = Instant.parse("2024-02-29T23:59:58.123456789Z");

    private static TableSchema schema() {
        TableSchema schema = new TableSchema();
        for (String[] column : DATA_COLUMNS) {
            schema.addColumn(
                    new Column(column[0], TypeInfoParser.getTypeInfoFromTypeString(column[1])));
        }
        schema.addPartitionColumn(
                new Column("ds", TypeInfoParser.getTypeInfoFromTypeString("STRING")));
        schema.addPartitionColumn(
                new Column("hh", TypeInfoParser.getTypeInfoFromTypeString("BIGINT")));
        return schema;
    }

    /**
     * The canonical Flink type of every data column, with the partition columns placed in the
     * middle and in the opposite order of the table's, and names in another case.
     */
    private static RowType flinkType(TableSchema schema) {
        List<DataTypes.Field> fields = new ArrayList<>();
        for (Column column : schema.getColumns()) {
            fields.add(
                    FIELD(
                            column.getName().toUpperCase(),
                            OdpsTypeConversions.toFlinkType(column.getTypeInfo())));
            if (column.getName().equals("c_double")) {
                fields.add(FIELD("HH", DataTypes.BIGINT()));
                fields.add(FIELD("Ds", DataTypes.STRING()));
            }
        }
        return (RowType) DataTypes.ROW(fields).getLogicalType();
    }

    private static GenericRowData fullRow() {
        Map<StringData, Long> map = new HashMap<>();
        map.put(StringData.fromString("one"), 1L);
        map.put(StringData.fromString("none"), null);
        GenericRowData inner =
                GenericRowData.of((int) LocalDate.of(1969, 7, 20).toEpochDay(), new byte[] {0, -1});
        GenericRowData struct =
                GenericRowData.of(
                        StringData.fromString("straße"),
                        TimestampData.fromInstant(INSTANT),
                        new GenericArrayData(new Object[] {1, null, 3}),
                        inner);
        return GenericRowData.of(
                true,
                (byte) -128,
                (short) 32767,
                Integer.MIN_VALUE,
                Long.MAX_VALUE,
                1.5f,
                -2.25e300,
                // partition columns hh and ds
                7L,
                StringData.fromString("20240229"),
                DecimalData.fromBigDecimal(new BigDecimal("-1234567890.12"), 12, 2),
                DecimalData.fromBigDecimal(
                        new BigDecimal("12345678901234567890.123456789012345678"), 38, 18),
                // CHAR is neither padded nor trimmed on the way in or out.
                StringData.fromString("ab "),
                StringData.fromString("变长字符"),
                StringData.fromString("a \"string\" with ünïcödé and \n newline"),
                new byte[] {1, 2, 3, 0, -128},
                (int) LocalDate.of(1, 1, 1).toEpochDay(),
                // DATETIME keeps milliseconds.
                TimestampData.fromEpochMillis(INSTANT.toEpochMilli()),
                TimestampData.fromInstant(INSTANT),
                TimestampData.fromLocalDateTime(LocalDateTime.of(1900, 1, 1, 0, 0, 0, 1)),
                new GenericArrayData(
                        new Object[] {StringData.fromString("x"), null, StringData.fromString("")}),
                new GenericMapData(map),
                struct);
    }

    private static GenericRowData rowOfNulls() {
        GenericRowData row = new GenericRowData(DATA_COLUMNS.length + 2);
        row.setField(7, 8L);
        row.setField(8, StringData.fromString("20240301"));
        return row;
    }

    @Test
    void everySupportedTypeSurvivesTheTunnelWireFormat() throws Exception {
        TableSchema schema = schema();
        RowType flinkType = flinkType(schema);
        RowDataToRecordConverter toRecord = new RowDataToRecordConverter(flinkType, schema);
        RecordToRowDataConverter toRow =
                new RecordToRowDataConverter(flinkType, schema, dataColumnNames(schema));

        List<GenericRowData> rows = Arrays.asList(fullRow(), rowOfNulls());
        List<Record> records = new ArrayList<>();
        List<PartitionSpec> partitions = new ArrayList<>();
        for (GenericRowData row : rows) {
            Record record = new ArrayRecord(schema);
            toRecord.fill(row, record);
            records.add(record);
            partitions.add(toRecord.partitionOf(row));
        }
        List<Record> decoded = TunnelWireCodec.roundTrip(schema, records);

        assertThat(partitions.get(0).toString()).isEqualTo("ds='20240229',hh='7'");
        assertThat(decoded).hasSize(2);
        for (int i = 0; i < rows.size(); i++) {
            RowData read = toRow.convert(decoded.get(i), partitions.get(i));
            assertThat(read.getRowKind()).isEqualTo(RowKind.INSERT);
            assertThat(read).isEqualTo(rows.get(i));
        }
    }

    @Test
    void stringsFromTheTunnelAreBytesAndTurnedIntoStringDataWithoutDecoding() throws Exception {
        TableSchema schema = schema();
        Record record = new ArrayRecord(schema);
        new RowDataToRecordConverter(flinkType(schema), schema).fill(fullRow(), record);

        Record decoded = TunnelWireCodec.roundTrip(schema, List.of(record)).get(0);

        int string = schema.getColumnIndex("c_string");
        assertThat(record.get(string)).isInstanceOf(byte[].class);
        assertThat(decoded.get(string)).isInstanceOf(byte[].class);
        assertThat(((List<?>) decoded.get(schema.getColumnIndex("c_array"))).get(0))
                .isInstanceOf(String.class);
        assertThat(decoded.get(schema.getColumnIndex("c_char")).toString()).isEqualTo("ab ");
    }

    @Test
    void convertersStillWorkAfterJavaSerialization() throws Exception {
        TableSchema schema = schema();
        RowType flinkType = flinkType(schema);
        RowDataToRecordConverter toRecord =
                InstantiationUtil.clone(new RowDataToRecordConverter(flinkType, schema));
        RecordToRowDataConverter toRow =
                InstantiationUtil.clone(
                        new RecordToRowDataConverter(flinkType, schema, dataColumnNames(schema)));

        GenericRowData row = fullRow();
        Record record = new ArrayRecord(schema);
        toRecord.fill(row, record);
        Record decoded = TunnelWireCodec.roundTrip(schema, List.of(record)).get(0);

        assertThat(toRow.convert(decoded, toRecord.partitionOf(row))).isEqualTo(row);
    }

    @Test
    void readsAProjectionWhoseColumnsComeInAnotherOrder() throws Exception {
        TableSchema table = new TableSchema();
        table.addColumn(new Column("a", TypeInfoParser.getTypeInfoFromTypeString("BIGINT")));
        table.addColumn(new Column("b", TypeInfoParser.getTypeInfoFromTypeString("STRING")));
        table.addColumn(new Column("c", TypeInfoParser.getTypeInfoFromTypeString("DOUBLE")));
        table.addColumn(new Column("d", TypeInfoParser.getTypeInfoFromTypeString("DATE")));
        table.addPartitionColumn(
                new Column("ds", TypeInfoParser.getTypeInfoFromTypeString("STRING")));
        // The download session was asked for d, then a: that is what each record holds.
        List<Column> projected = List.of(table.getColumn("d"), table.getColumn("a"));
        TableSchema sent = new TableSchema();
        projected.forEach(sent::addColumn);
        Record onTheWire = new ArrayRecord(sent);
        onTheWire.set(0, LocalDate.of(2024, 1, 2));
        onTheWire.set(1, 42L);
        Record received =
                TunnelWireCodec.roundTrip(sent, List.of(onTheWire), table, projected).get(0);

        RowType produced =
                (RowType)
                        DataTypes.ROW(
                                        FIELD("A", DataTypes.BIGINT()),
                                        FIELD("ds", DataTypes.STRING()),
                                        FIELD("D", DataTypes.DATE()))
                                .getLogicalType();
        RecordToRowDataConverter converter =
                new RecordToRowDataConverter(produced, table, List.of("d", "a"));

        assertThat(received.getColumnCount()).isEqualTo(2);
        assertThat(converter.convert(received, new PartitionSpec("ds=20240102")))
                .isEqualTo(
                        GenericRowData.of(
                                42L,
                                StringData.fromString("20240102"),
                                (int) LocalDate.of(2024, 1, 2).toEpochDay()));
    }

    @Test
    void charValuesAreNeitherPaddedNorTrimmed() throws Exception {
        TableSchema table = new TableSchema();
        table.addColumn(new Column("c", TypeInfoParser.getTypeInfoFromTypeString("CHAR(5)")));
        RowType flinkType = (RowType) DataTypes.ROW(FIELD("c", DataTypes.CHAR(5))).getLogicalType();
        RowDataToRecordConverter toRecord = new RowDataToRecordConverter(flinkType, table);
        RecordToRowDataConverter toRow =
                new RecordToRowDataConverter(flinkType, table, List.of("c"));

        List<Record> records = new ArrayList<>();
        for (String value : new String[] {"ab", "ab   ", " ab", "abcde"}) {
            Record record = new ArrayRecord(table);
            toRecord.fill(GenericRowData.of(StringData.fromString(value)), record);
            records.add(record);
        }
        List<String> read = new ArrayList<>();
        for (Record record : TunnelWireCodec.roundTrip(table, records)) {
            read.add(toRow.convert(record, null).getString(0).toString());
        }

        assertThat(read).containsExactly("ab", "ab   ", " ab", "abcde");
        assertThat(new String(records.get(0).getBytes(0), StandardCharsets.UTF_8)).isEqualTo("ab");
    }

    private static List<String> dataColumnNames(TableSchema schema) {
        List<String> names = new ArrayList<>();
        for (Column column : schema.getColumns()) {
            names.add(column.getName());
        }
        return names;
    }
}
