package org.flinkconnectors.odps.types;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Char;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.Varchar;
import com.aliyun.odps.type.TypeInfoFactory;
import com.aliyun.odps.type.TypeInfoParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.apache.flink.table.api.DataTypes.FIELD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link RowDataToRecordConverter} beyond the wire-format round trip. */
class RowDataToRecordConverterTest {

    private static RowType row(DataTypes.Field... fields) {
        return (RowType) DataTypes.ROW(fields).getLogicalType();
    }

    private static TableSchema partitioned() {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", TypeInfoFactory.BIGINT));
        schema.addColumn(new Column("name", TypeInfoParser.getTypeInfoFromTypeString("CHAR(3)")));
        schema.addColumn(new Column("note", TypeInfoFactory.STRING));
        schema.addPartitionColumn(new Column("ds", TypeInfoFactory.STRING));
        schema.addPartitionColumn(new Column("hh", TypeInfoFactory.SMALLINT));
        return schema;
    }

    @Test
    void writesTheJavaTimeAndWrapperObjectsTheSdkExpects() {
        TableSchema schema = new TableSchema();
        for (String type :
                new String[] {
                    "DATE",
                    "DATETIME",
                    "TIMESTAMP",
                    "TIMESTAMP_NTZ",
                    "CHAR(4)",
                    "VARCHAR(4)",
                    "BINARY",
                    "STRING"
                }) {
            schema.addColumn(
                    new Column(
                            "c_" + type.replaceAll("\\W", ""),
                            TypeInfoParser.getTypeInfoFromTypeString(type)));
        }
        Instant instant = Instant.parse("2023-05-06T07:08:09.123456789Z");
        RowType consumed =
                row(
                        FIELD("c_date", DataTypes.DATE()),
                        // TIMESTAMP(p) for DATETIME and TIMESTAMP is the wall clock in UTC.
                        FIELD("c_datetime", DataTypes.TIMESTAMP(3)),
                        FIELD("c_timestamp", DataTypes.TIMESTAMP_LTZ(9)),
                        FIELD("c_timestamp_ntz", DataTypes.TIMESTAMP(9)),
                        FIELD("c_char4", DataTypes.STRING()),
                        FIELD("c_varchar4", DataTypes.VARCHAR(4)),
                        FIELD("c_binary", DataTypes.BYTES()),
                        FIELD("c_string", DataTypes.CHAR(2)));
        Record record = new ArrayRecord(schema);

        new RowDataToRecordConverter(consumed, schema)
                .fill(
                        GenericRowData.of(
                                (int) LocalDate.of(2023, 5, 6).toEpochDay(),
                                TimestampData.fromLocalDateTime(
                                        LocalDateTime.parse("2023-05-06T07:08:09.123")),
                                TimestampData.fromInstant(instant),
                                TimestampData.fromInstant(instant),
                                StringData.fromString("ab"),
                                StringData.fromString("abcd"),
                                new byte[] {7},
                                StringData.fromString("hi")),
                        record);

        assertThat(record.toArray())
                .containsExactly(
                        LocalDate.of(2023, 5, 6),
                        ZonedDateTime.parse("2023-05-06T07:08:09.123Z")
                                .withZoneSameInstant(ZoneOffset.UTC),
                        instant,
                        LocalDateTime.parse("2023-05-06T07:08:09.123456789"),
                        new Char("ab"),
                        new Varchar("abcd"),
                        new Binary(new byte[] {7}),
                        "hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void leavesAbsentColumnsNullEvenInAReusedRecord() {
        TableSchema schema = partitioned();
        Record record = new ArrayRecord(schema);
        RowType all =
                row(
                        FIELD("id", DataTypes.BIGINT()),
                        FIELD("name", DataTypes.CHAR(3)),
                        FIELD("note", DataTypes.STRING()));
        new RowDataToRecordConverter(all, schema)
                .fill(
                        GenericRowData.of(
                                1L, StringData.fromString("abc"), StringData.fromString("n")),
                        record);

        RowType some = row(FIELD("NOTE", DataTypes.STRING()), FIELD("ID", DataTypes.BIGINT()));
        new RowDataToRecordConverter(some, schema).fill(GenericRowData.of(null, 2L), record);

        assertThat(record.toArray()).containsExactly(2L, null, null);
    }

    @Test
    void buildsThePartitionInTheTablesKeyOrder() {
        TableSchema schema = partitioned();
        RowType consumed =
                row(
                        FIELD("HH", DataTypes.SMALLINT()),
                        FIELD("id", DataTypes.BIGINT()),
                        FIELD("Ds", DataTypes.STRING()));
        RowDataToRecordConverter converter = new RowDataToRecordConverter(consumed, schema);

        assertThat(converter.hasPartitionColumns()).isTrue();
        assertThat(converter.partitionFieldIndexes()).containsExactly(2, 0);
        assertThat(
                        converter
                                .partitionOf(
                                        GenericRowData.of(
                                                (short) -3, 1L, StringData.fromString("2024")))
                                .toString())
                .isEqualTo("ds='2024',hh='-3'");
    }

    @Test
    void aRowWithoutPartitionColumnsHasAnEmptyPartition() {
        RowDataToRecordConverter converter =
                new RowDataToRecordConverter(row(FIELD("id", DataTypes.BIGINT())), partitioned());

        assertThat(converter.hasPartitionColumns()).isFalse();
        assertThat(converter.partitionFieldIndexes()).isEmpty();
        assertThat(converter.partitionOf(GenericRowData.of(1L)).isEmpty()).isTrue();
    }

    @Test
    void rejectsNullAndEmptyPartitionValuesNamingTheColumn() {
        RowDataToRecordConverter converter =
                new RowDataToRecordConverter(
                        row(FIELD("ds", DataTypes.STRING()), FIELD("hh", DataTypes.SMALLINT())),
                        partitioned());

        assertThatThrownBy(() -> converter.partitionOf(GenericRowData.of(null, (short) 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Partition column 'ds' is null");
        assertThatThrownBy(
                        () ->
                                converter.partitionOf(
                                        GenericRowData.of(StringData.fromString(""), (short) 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Partition column 'ds' is empty");
        assertThatThrownBy(
                        () ->
                                converter.partitionOf(
                                        GenericRowData.of(StringData.fromString("x"), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Partition column 'hh' is null");
    }

    @Test
    void namesTheColumnWhenTheSdkRejectsAValue() {
        TableSchema schema = partitioned();
        RowDataToRecordConverter converter =
                new RowDataToRecordConverter(row(FIELD("name", DataTypes.STRING())), schema);

        assertThatThrownBy(
                        () ->
                                converter.fill(
                                        GenericRowData.of(StringData.fromString("toolong")),
                                        new ArrayRecord(schema)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot write the value of column 'name CHAR(3)'")
                .hasMessageContaining("overflow");
    }

    @Test
    void rejectsUnknownColumnsAndIncompatibleTypes() {
        TableSchema schema = partitioned();

        assertThatThrownBy(
                        () ->
                                new RowDataToRecordConverter(
                                        row(FIELD("missing", DataTypes.INT())), schema))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'missing'");
        assertThatThrownBy(
                        () ->
                                new RowDataToRecordConverter(
                                        row(FIELD("id", DataTypes.STRING())), schema))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Cannot write Flink type STRING to MaxCompute type BIGINT.");
        assertThatThrownBy(
                        () ->
                                new RowDataToRecordConverter(
                                        row(FIELD("ds", DataTypes.DATE())), schema))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Partition column 'ds' is DATE in Flink");
    }
}
