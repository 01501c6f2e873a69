package org.flinkconnectors.odps.types;

import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RawType;
import org.apache.flink.table.types.logical.VarCharType;

import com.aliyun.odps.type.TypeInfo;
import com.aliyun.odps.type.TypeInfoFactory;
import com.aliyun.odps.type.TypeInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.apache.flink.table.api.DataTypes.FIELD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link OdpsTypeConversions}. */
class OdpsTypeConversionsTest {

    private static TypeInfo odps(String typeName) {
        return TypeInfoParser.getTypeInfoFromTypeString(typeName);
    }

    private static LogicalType flink(DataType type) {
        return type.getLogicalType();
    }

    @Test
    void mapsEveryPrimitiveToFlink() {
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.BOOLEAN))
                .isEqualTo(DataTypes.BOOLEAN());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.TINYINT))
                .isEqualTo(DataTypes.TINYINT());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.SMALLINT))
                .isEqualTo(DataTypes.SMALLINT());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.INT)).isEqualTo(DataTypes.INT());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.BIGINT))
                .isEqualTo(DataTypes.BIGINT());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.FLOAT))
                .isEqualTo(DataTypes.FLOAT());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.DOUBLE))
                .isEqualTo(DataTypes.DOUBLE());
        assertThat(OdpsTypeConversions.toFlinkType(odps("DECIMAL(12,2)")))
                .isEqualTo(DataTypes.DECIMAL(12, 2));
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.DECIMAL))
                .isEqualTo(DataTypes.DECIMAL(38, 18));
        assertThat(OdpsTypeConversions.toFlinkType(odps("CHAR(10)"))).isEqualTo(DataTypes.CHAR(10));
        assertThat(OdpsTypeConversions.toFlinkType(odps("VARCHAR(200)")))
                .isEqualTo(DataTypes.VARCHAR(200));
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.STRING))
                .isEqualTo(DataTypes.STRING());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.BINARY))
                .isEqualTo(DataTypes.BYTES());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.DATE))
                .isEqualTo(DataTypes.DATE());
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.DATETIME))
                .isEqualTo(DataTypes.TIMESTAMP_LTZ(3));
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.TIMESTAMP))
                .isEqualTo(DataTypes.TIMESTAMP_LTZ(9));
        assertThat(OdpsTypeConversions.toFlinkType(TypeInfoFactory.TIMESTAMP_NTZ))
                .isEqualTo(DataTypes.TIMESTAMP(9));
    }

    /** The SDK lower-cases STRUCT field names whatever they were declared as. */
    @Test
    void mapsNestedTypesToFlinkRecursively() {
        TypeInfo nested =
                TypeInfoFactory.getStructTypeInfo(
                        Arrays.asList("Id", "tags", "attrs"),
                        Arrays.asList(
                                TypeInfoFactory.BIGINT,
                                odps("ARRAY<VARCHAR(5)>"),
                                odps("MAP<STRING,ARRAY<DECIMAL(10,2)>>")));

        assertThat(OdpsTypeConversions.toFlinkType(nested))
                .isEqualTo(
                        DataTypes.ROW(
                                FIELD("id", DataTypes.BIGINT()),
                                FIELD("tags", DataTypes.ARRAY(DataTypes.VARCHAR(5))),
                                FIELD(
                                        "attrs",
                                        DataTypes.MAP(
                                                DataTypes.STRING(),
                                                DataTypes.ARRAY(DataTypes.DECIMAL(10, 2))))));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"INTERVAL_DAY_TIME", "INTERVAL_YEAR_MONTH", "JSON", "VOID", "GEOGRAPHY"})
    void rejectsUnsupportedMaxComputeTypesByName(String typeName) {
        TypeInfo type = odps(typeName);
        assertThatThrownBy(() -> OdpsTypeConversions.toFlinkType(type))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("MaxCompute type " + typeName + " is not supported");
        assertThatThrownBy(() -> OdpsTypeConversions.toFlinkType(odps("ARRAY<" + typeName + ">")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(typeName);
    }

    @Test
    void mapsFlinkTypesToMaxCompute() {
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.BOOLEAN())))
                .isEqualTo(TypeInfoFactory.BOOLEAN);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.INT().notNull())))
                .isEqualTo(TypeInfoFactory.INT);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.DECIMAL(12, 2))))
                .isEqualTo(odps("DECIMAL(12,2)"));
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.CHAR(3))))
                .isEqualTo(odps("CHAR(3)"));
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.VARCHAR(65535))))
                .isEqualTo(odps("VARCHAR(65535)"));
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.VARCHAR(65536))))
                .isEqualTo(TypeInfoFactory.STRING);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.STRING())))
                .isEqualTo(TypeInfoFactory.STRING);
        assertThat(OdpsTypeConversions.toOdpsType(new VarCharType(VarCharType.MAX_LENGTH)))
                .isEqualTo(TypeInfoFactory.STRING);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.BYTES())))
                .isEqualTo(TypeInfoFactory.BINARY);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.BINARY(16))))
                .isEqualTo(TypeInfoFactory.BINARY);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.VARBINARY(16))))
                .isEqualTo(TypeInfoFactory.BINARY);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.DATE())))
                .isEqualTo(TypeInfoFactory.DATE);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.TIMESTAMP_LTZ(0))))
                .isEqualTo(TypeInfoFactory.DATETIME);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.TIMESTAMP_LTZ(3))))
                .isEqualTo(TypeInfoFactory.DATETIME);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.TIMESTAMP_LTZ(4))))
                .isEqualTo(TypeInfoFactory.TIMESTAMP);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.TIMESTAMP_LTZ(9))))
                .isEqualTo(TypeInfoFactory.TIMESTAMP);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.TIMESTAMP(3))))
                .isEqualTo(TypeInfoFactory.TIMESTAMP_NTZ);
        assertThat(OdpsTypeConversions.toOdpsType(flink(DataTypes.TIMESTAMP(9))))
                .isEqualTo(TypeInfoFactory.TIMESTAMP_NTZ);
    }

    @Test
    void mapsNestedFlinkTypesToMaxComputeWithLowerCaseFieldNames() {
        LogicalType row =
                flink(
                        DataTypes.ROW(
                                FIELD("userId", DataTypes.BIGINT()),
                                FIELD(
                                        "scores",
                                        DataTypes.MAP(
                                                DataTypes.STRING(),
                                                DataTypes.ARRAY(DataTypes.DOUBLE())))));

        TypeInfo odpsType = OdpsTypeConversions.toOdpsType(row);

        assertThat(OdpsTypeConversions.describe(odpsType))
                .isEqualTo("STRUCT<userid:BIGINT,scores:MAP<STRING,ARRAY<DOUBLE>>>");
    }

    @Test
    void everySupportedMaxComputeTypeSurvivesTheRoundTrip() {
        String[] types = {
            "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE",
            "DECIMAL(38,18)", "DECIMAL(1,0)", "CHAR(255)", "VARCHAR(1)", "STRING", "BINARY", "DATE",
            "DATETIME", "TIMESTAMP", "TIMESTAMP_NTZ", "ARRAY<MAP<INT,STRUCT<A:DATE,B:BINARY>>>"
        };
        for (String name : types) {
            TypeInfo type = odps(name);
            DataType flinkType = OdpsTypeConversions.toFlinkType(type);
            assertThat(OdpsTypeConversions.toOdpsType(flinkType.getLogicalType()))
                    .as(name)
                    .isEqualTo(type);
            assertThat(OdpsTypeConversions.isCompatible(flinkType.getLogicalType(), type))
                    .as(name)
                    .isTrue();
        }
    }

    @Test
    void rejectsFlinkTypesWithoutMaxComputeCounterpartByName() {
        assertThatThrownBy(
                        () ->
                                OdpsTypeConversions.toOdpsType(
                                        flink(DataTypes.MULTISET(DataTypes.INT()))))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("Flink type MULTISET<INT> has no MaxCompute counterpart");
        assertThatThrownBy(
                        () ->
                                OdpsTypeConversions.toOdpsType(
                                        flink(DataTypes.INTERVAL(DataTypes.DAY()))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("INTERVAL DAY");
        assertThatThrownBy(() -> OdpsTypeConversions.toOdpsType(flink(DataTypes.TIME())))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("TIME(0)");
        assertThatThrownBy(
                        () ->
                                OdpsTypeConversions.toOdpsType(
                                        new RawType<>(String.class, StringSerializer.INSTANCE)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("RAW");
        assertThatThrownBy(
                        () ->
                                OdpsTypeConversions.toOdpsType(
                                        flink(DataTypes.ARRAY(DataTypes.TIME()))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("TIME(0)");
        assertThatThrownBy(() -> OdpsTypeConversions.toOdpsType(flink(DataTypes.CHAR(256))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("CHAR(256)")
                .hasMessageContaining("at most 255");
    }

    @Test
    void anyCharacterStringFitsAnyMaxComputeCharacterColumn() {
        for (String odpsType : new String[] {"CHAR(3)", "VARCHAR(10)", "STRING"}) {
            for (DataType flinkType :
                    new DataType[] {DataTypes.CHAR(20), DataTypes.VARCHAR(1), DataTypes.STRING()}) {
                assertThat(OdpsTypeConversions.isCompatible(flink(flinkType), odps(odpsType)))
                        .as("%s for %s", flinkType, odpsType)
                        .isTrue();
            }
            assertThat(OdpsTypeConversions.isCompatible(flink(DataTypes.BYTES()), odps(odpsType)))
                    .isFalse();
        }
    }

    @Test
    void timestampsAcceptEitherFlinkTimestampOfAnyPrecision() {
        for (int precision : new int[] {0, 3, 6, 9}) {
            LogicalType ltz = flink(DataTypes.TIMESTAMP_LTZ(precision));
            LogicalType ntz = flink(DataTypes.TIMESTAMP(precision));
            assertThat(OdpsTypeConversions.isCompatible(ltz, TypeInfoFactory.DATETIME)).isTrue();
            assertThat(OdpsTypeConversions.isCompatible(ntz, TypeInfoFactory.DATETIME)).isTrue();
            assertThat(OdpsTypeConversions.isCompatible(ltz, TypeInfoFactory.TIMESTAMP)).isTrue();
            assertThat(OdpsTypeConversions.isCompatible(ntz, TypeInfoFactory.TIMESTAMP)).isTrue();
            assertThat(OdpsTypeConversions.isCompatible(ntz, TypeInfoFactory.TIMESTAMP_NTZ))
                    .isTrue();
            assertThat(OdpsTypeConversions.isCompatible(ltz, TypeInfoFactory.TIMESTAMP_NTZ))
                    .isFalse();
        }
        assertThat(
                        OdpsTypeConversions.isCompatible(
                                flink(DataTypes.DATE()), TypeInfoFactory.DATETIME))
                .isFalse();
        assertThat(
                        OdpsTypeConversions.isCompatible(
                                flink(DataTypes.TIMESTAMP(3)), TypeInfoFactory.DATE))
                .isFalse();
    }

    @Test
    void decimalsNeedTheSamePrecisionAndScale() {
        TypeInfo decimal = odps("DECIMAL(12,2)");
        assertThat(OdpsTypeConversions.isCompatible(flink(DataTypes.DECIMAL(12, 2)), decimal))
                .isTrue();
        assertThat(OdpsTypeConversions.isCompatible(flink(DataTypes.DECIMAL(10, 2)), decimal))
                .isFalse();
        assertThat(OdpsTypeConversions.isCompatible(flink(DataTypes.DECIMAL(12, 3)), decimal))
                .isFalse();
        assertThat(OdpsTypeConversions.isCompatible(flink(DataTypes.DOUBLE()), decimal)).isFalse();
        assertThat(
                        OdpsTypeConversions.isCompatible(
                                flink(DataTypes.DECIMAL(38, 18)), TypeInfoFactory.DECIMAL))
                .isTrue();
    }

    @Test
    void integersAndBinaryNeedTheirOwnRoot() {
        assertThat(OdpsTypeConversions.isCompatible(flink(DataTypes.INT()), TypeInfoFactory.BIGINT))
                .isFalse();
        assertThat(OdpsTypeConversions.isCompatible(flink(DataTypes.BIGINT()), TypeInfoFactory.INT))
                .isFalse();
        assertThat(
                        OdpsTypeConversions.isCompatible(
                                flink(DataTypes.BIGINT().notNull()), TypeInfoFactory.BIGINT))
                .isTrue();
        assertThat(
                        OdpsTypeConversions.isCompatible(
                                flink(DataTypes.VARBINARY(8)), TypeInfoFactory.BINARY))
                .isTrue();
        assertThat(
                        OdpsTypeConversions.isCompatible(
                                flink(DataTypes.STRING()), TypeInfoFactory.BINARY))
                .isFalse();
        assertThat(OdpsTypeConversions.isCompatible(flink(DataTypes.STRING()), odps("JSON")))
                .isFalse();
    }

    @Test
    void nestedTypesAreComparedRecursivelyAndRowFieldsByPosition() {
        TypeInfo struct = odps("STRUCT<a:BIGINT,b:ARRAY<TIMESTAMP>,c:MAP<STRING,DECIMAL(5,1)>>");

        LogicalType renamed =
                flink(
                        DataTypes.ROW(
                                FIELD("x", DataTypes.BIGINT().notNull()),
                                FIELD("y", DataTypes.ARRAY(DataTypes.TIMESTAMP(6))),
                                FIELD(
                                        "z",
                                        DataTypes.MAP(
                                                DataTypes.VARCHAR(3), DataTypes.DECIMAL(5, 1)))));
        LogicalType wrongDecimal =
                flink(
                        DataTypes.ROW(
                                FIELD("a", DataTypes.BIGINT()),
                                FIELD("b", DataTypes.ARRAY(DataTypes.TIMESTAMP_LTZ(9))),
                                FIELD(
                                        "c",
                                        DataTypes.MAP(
                                                DataTypes.STRING(), DataTypes.DECIMAL(5, 2)))));
        LogicalType tooFewFields =
                flink(
                        DataTypes.ROW(
                                FIELD("a", DataTypes.BIGINT()),
                                FIELD("b", DataTypes.ARRAY(DataTypes.TIMESTAMP_LTZ(9)))));

        assertThat(OdpsTypeConversions.isCompatible(renamed, struct)).isTrue();
        assertThat(OdpsTypeConversions.isCompatible(wrongDecimal, struct)).isFalse();
        assertThat(OdpsTypeConversions.isCompatible(tooFewFields, struct)).isFalse();
        assertThat(
                        OdpsTypeConversions.isCompatible(
                                flink(DataTypes.ARRAY(DataTypes.INT())), odps("ARRAY<BIGINT>")))
                .isFalse();
        assertThat(
                        OdpsTypeConversions.isCompatible(
                                flink(DataTypes.MAP(DataTypes.INT(), DataTypes.STRING())),
                                odps("MAP<STRING,STRING>")))
                .isFalse();
    }

    @Test
    void describesTypesTheWayMaxComputeWritesThem() {
        assertThat(OdpsTypeConversions.describe(odps("decimal(12,2)"))).isEqualTo("DECIMAL(12,2)");
        assertThat(OdpsTypeConversions.describe(TypeInfoFactory.DECIMAL)).isEqualTo("DECIMAL");
        assertThat(OdpsTypeConversions.describe(odps("map<string,varchar(8)>")))
                .isEqualTo("MAP<STRING,VARCHAR(8)>");
    }
}
