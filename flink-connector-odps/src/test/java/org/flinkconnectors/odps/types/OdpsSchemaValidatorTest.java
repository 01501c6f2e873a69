package org.flinkconnectors.odps.types;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.type.TypeInfoFactory;
import com.aliyun.odps.type.TypeInfoParser;
import org.junit.jupiter.api.Test;

import static org.apache.flink.table.api.DataTypes.FIELD;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link OdpsSchemaValidator}. */
class OdpsSchemaValidatorTest {

    private static final String TABLE = "p.t";

    private static TableSchema schema() {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", TypeInfoFactory.BIGINT));
        schema.addColumn(
                new Column("Name", TypeInfoParser.getTypeInfoFromTypeString("VARCHAR(20)")));
        schema.addColumn(
                new Column("price", TypeInfoParser.getTypeInfoFromTypeString("DECIMAL(12,2)")));
        schema.addColumn(new Column("ts", TypeInfoFactory.DATETIME));
        schema.addColumn(new Column("doc", TypeInfoFactory.JSON));
        schema.addPartitionColumn(new Column("ds", TypeInfoFactory.STRING));
        schema.addPartitionColumn(new Column("hh", TypeInfoFactory.BIGINT));
        return schema;
    }

    private static RowType row(DataTypes.Field... fields) {
        return (RowType) DataTypes.ROW(fields).getLogicalType();
    }

    @Test
    void acceptsCompatibleColumnsMatchedCaseInsensitivelyInAnyOrder() {
        RowType row =
                row(
                        FIELD("HH", DataTypes.BIGINT()),
                        FIELD("name", DataTypes.STRING()),
                        FIELD("TS", DataTypes.TIMESTAMP(3)),
                        FIELD("ID", DataTypes.BIGINT().notNull()),
                        FIELD("price", DataTypes.DECIMAL(12, 2)),
                        FIELD("ds", DataTypes.VARCHAR(8)));

        assertThatCode(() -> OdpsSchemaValidator.validate(TABLE, row, schema()))
                .doesNotThrowAnyException();
    }

    @Test
    void aPartitionColumnMayAlsoBeDeclaredAsText() {
        RowType row = row(FIELD("hh", DataTypes.STRING()));

        assertThatCode(() -> OdpsSchemaValidator.validate(TABLE, row, schema()))
                .doesNotThrowAnyException();
    }

    @Test
    void namesTableColumnAndBothTypesForAMismatch() {
        RowType row =
                row(FIELD("id", DataTypes.BIGINT()), FIELD("price", DataTypes.DECIMAL(10, 2)));

        assertThatThrownBy(() -> OdpsSchemaValidator.validate(TABLE, row, schema()))
                .isInstanceOf(ValidationException.class)
                .hasMessage(
                        "Column 'price' of table 'p.t' is DECIMAL(10, 2) in Flink but"
                                + " DECIMAL(12,2) in MaxCompute. Declare it as DECIMAL(12, 2).");
    }

    @Test
    void suggestsTheCanonicalTypeForATimestampOrPartitionMismatch() {
        assertThatThrownBy(
                        () ->
                                OdpsSchemaValidator.validate(
                                        TABLE, row(FIELD("ts", DataTypes.DATE())), schema()))
                .isInstanceOf(ValidationException.class)
                .hasMessage(
                        "Column 'ts' of table 'p.t' is DATE in Flink but DATETIME in MaxCompute."
                                + " Declare it as TIMESTAMP_LTZ(3).");
        assertThatThrownBy(
                        () ->
                                OdpsSchemaValidator.validate(
                                        TABLE, row(FIELD("ds", DataTypes.BIGINT())), schema()))
                .isInstanceOf(ValidationException.class)
                .hasMessage(
                        "Column 'ds' of table 'p.t' is BIGINT in Flink but STRING in MaxCompute."
                                + " Declare it as STRING.");
    }

    @Test
    void offersTextForAnIntegerPartitionColumn() {
        assertThatThrownBy(
                        () ->
                                OdpsSchemaValidator.validate(
                                        TABLE, row(FIELD("hh", DataTypes.INT())), schema()))
                .isInstanceOf(ValidationException.class)
                .hasMessage(
                        "Column 'hh' of table 'p.t' is INT in Flink but BIGINT in MaxCompute."
                                + " Declare it as BIGINT or STRING.");
    }

    @Test
    void listsTheTableColumnsForAMissingColumn() {
        RowType row = row(FIELD("id", DataTypes.BIGINT()), FIELD("cost", DataTypes.DOUBLE()));

        assertThatThrownBy(() -> OdpsSchemaValidator.validate(TABLE, row, schema()))
                .isInstanceOf(ValidationException.class)
                .hasMessage(
                        "Column 'cost' of table 'p.t' does not exist in MaxCompute. The table has"
                                + " columns: id BIGINT, Name VARCHAR(20), price DECIMAL(12,2),"
                                + " ts DATETIME, doc JSON; partition columns: ds STRING,"
                                + " hh BIGINT.");
    }

    @Test
    void saysWhenAColumnHasATypeTheConnectorCannotCarry() {
        RowType row = row(FIELD("doc", DataTypes.STRING()));

        assertThatThrownBy(() -> OdpsSchemaValidator.validate(TABLE, row, schema()))
                .isInstanceOf(ValidationException.class)
                .hasMessage(
                        "Column 'doc' of table 'p.t' is STRING in Flink but JSON in MaxCompute."
                                + " The connector cannot read or write MaxCompute type JSON;"
                                + " leave the column out of the Flink table.");
    }

    @Test
    void rejectsTwoFlinkColumnsForTheSameMaxComputeColumn() {
        RowType row = row(FIELD("id", DataTypes.BIGINT()), FIELD("ID", DataTypes.BIGINT()));

        assertThatThrownBy(() -> OdpsSchemaValidator.validate(TABLE, row, schema()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'id' and 'ID' of table 'p.t' both name the same");
    }
}
