package org.flinkconnectors.odps.types;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.type.TypeInfoFactory;
import com.aliyun.odps.type.TypeInfoParser;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Date;
import java.util.List;

import static org.apache.flink.table.api.DataTypes.FIELD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link RecordToRowDataConverter} beyond the wire-format round trip. */
class RecordToRowDataConverterTest {

    private static RowType row(DataTypes.Field... fields) {
        return (RowType) DataTypes.ROW(fields).getLogicalType();
    }

    private static TableSchema table(String... nameTypePairs) {
        TableSchema schema = new TableSchema();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            schema.addColumn(
                    new Column(
                            nameTypePairs[i],
                            TypeInfoParser.getTypeInfoFromTypeString(nameTypePairs[i + 1])));
        }
        return schema;
    }

    @Test
    void readsTheLegacyJavaTypesAUserMaySetByHand() {
        TableSchema schema = table("s", "STRING", "d", "DATE", "dt", "DATETIME", "ts", "TIMESTAMP");
        Instant instant = Instant.parse("2023-05-06T07:08:09.123456789Z");
        Record record = new ArrayRecord(schema);
        record.setString(0, "plain java string");
        // Without a calendar the SDK keeps a java.sql.Date and reads its day in GMT.
        ((ArrayRecord) record).setDate(1, new java.sql.Date(instant.toEpochMilli()));
        ((ArrayRecord) record).setDatetime(2, Date.from(instant));
        ((ArrayRecord) record).setTimestamp(3, Timestamp.from(instant));
        RowType produced =
                row(
                        FIELD("s", DataTypes.STRING()),
                        FIELD("d", DataTypes.DATE()),
                        FIELD("dt", DataTypes.TIMESTAMP_LTZ(3)),
                        FIELD("ts", DataTypes.TIMESTAMP_LTZ(9)));

        RowData read =
                new RecordToRowDataConverter(produced, schema, List.of("s", "d", "dt", "ts"))
                        .convert(record, null);

        assertThat(record.get(1)).isInstanceOf(java.sql.Date.class);
        assertThat(read)
                .isEqualTo(
                        GenericRowData.of(
                                StringData.fromString("plain java string"),
                                (int) LocalDate.of(2023, 5, 6).toEpochDay(),
                                TimestampData.fromEpochMillis(instant.toEpochMilli()),
                                TimestampData.fromInstant(instant)));
    }

    @Test
    void truncatesTimestampsToTheDeclaredPrecision() {
        TableSchema schema = table("a", "TIMESTAMP", "b", "TIMESTAMP", "c", "TIMESTAMP_NTZ");
        Record record = new ArrayRecord(schema);
        record.set(0, Instant.parse("2023-05-06T07:08:09.123456789Z"));
        // Before 1970 truncation goes towards the past, as it does for the epoch millis.
        record.set(1, Instant.parse("1969-12-31T23:59:59.500Z"));
        record.set(2, LocalDateTime.parse("2023-05-06T07:08:09.987654321"));
        RowType produced =
                row(
                        FIELD("a", DataTypes.TIMESTAMP_LTZ(6)),
                        FIELD("b", DataTypes.TIMESTAMP(0)),
                        FIELD("c", DataTypes.TIMESTAMP(1)));

        RowData read =
                new RecordToRowDataConverter(produced, schema, List.of("a", "b", "c"))
                        .convert(record, null);

        assertThat(read.getTimestamp(0, 6).toInstant())
                .isEqualTo(Instant.parse("2023-05-06T07:08:09.123456Z"));
        assertThat(read.getTimestamp(1, 0).toInstant())
                .isEqualTo(Instant.parse("1969-12-31T23:59:59Z"));
        assertThat(read.getTimestamp(2, 1).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2023-05-06T07:08:09.9"));
    }

    @Test
    void takesPartitionValuesFromTheSpecWhateverTheirKeyCase() {
        TableSchema schema = table("v", "BIGINT");
        schema.addPartitionColumn(new Column("ds", TypeInfoFactory.STRING));
        schema.addPartitionColumn(new Column("hh", TypeInfoFactory.TINYINT));
        schema.addPartitionColumn(new Column("region", TypeInfoFactory.STRING));
        RowType produced =
                row(
                        FIELD("region", DataTypes.VARCHAR(10)),
                        FIELD("hh", DataTypes.TINYINT()),
                        FIELD("v", DataTypes.BIGINT()),
                        FIELD("ds", DataTypes.CHAR(8)));
        RecordToRowDataConverter converter =
                new RecordToRowDataConverter(produced, schema, List.of("v"));
        Record record = new ArrayRecord(schema);
        record.set(0, 5L);

        assertThat(converter.convert(record, new PartitionSpec("DS=20240101,HH=23")))
                .isEqualTo(
                        GenericRowData.of(null, (byte) 23, 5L, StringData.fromString("20240101")));
        assertThat(converter.convert(record, new PartitionSpec("ds=20240102,hh=1,region=eu")))
                .isEqualTo(
                        GenericRowData.of(
                                StringData.fromString("eu"),
                                (byte) 1,
                                5L,
                                StringData.fromString("20240102")));
        assertThat(converter.convert(record, null))
                .isEqualTo(GenericRowData.of(null, null, 5L, null));
    }

    @Test
    void namesTheColumnOfAPartitionValueThatDoesNotParse() {
        TableSchema schema = table("v", "BIGINT");
        schema.addPartitionColumn(new Column("hh", TypeInfoFactory.BIGINT));
        RecordToRowDataConverter converter =
                new RecordToRowDataConverter(
                        row(FIELD("hh", DataTypes.BIGINT())), schema, List.of("v"));

        assertThatThrownBy(
                        () ->
                                converter.convert(
                                        new ArrayRecord(schema), new PartitionSpec("hh=noon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'noon' of partition column 'hh'");
    }

    @Test
    void namesTheColumnOfAnOldDecimalTooLargeForFlink() {
        TableSchema schema = table("amount", "DECIMAL");
        Record record = new ArrayRecord(schema);
        record.set(0, new BigDecimal("123456789012345678901234567890.5"));
        RecordToRowDataConverter converter =
                new RecordToRowDataConverter(
                        row(FIELD("amount", DataTypes.DECIMAL(38, 18))), schema, List.of("amount"));

        assertThatThrownBy(() -> converter.convert(record, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'amount'")
                .hasMessageContaining("does not fit DECIMAL(38, 18)");
    }

    @Test
    void rejectsFieldsThatAreNotColumnsOrNotInTheRecords() {
        TableSchema schema = table("a", "BIGINT", "b", "STRING");

        assertThatThrownBy(
                        () ->
                                new RecordToRowDataConverter(
                                        row(FIELD("c", DataTypes.BIGINT())),
                                        schema,
                                        List.of("a", "b")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'c'");
        assertThatThrownBy(
                        () ->
                                new RecordToRowDataConverter(
                                        row(FIELD("b", DataTypes.STRING())), schema, List.of("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'b' is not among the columns the records hold: [a]");
        assertThatThrownBy(
                        () ->
                                new RecordToRowDataConverter(
                                        row(FIELD("a", DataTypes.INT())), schema, List.of("a")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Cannot read MaxCompute type BIGINT as Flink type INT.");
    }
}
