package org.flinkconnectors.odps.partition;

import org.flinkconnectors.odps.partition.PartitionFilterTranslator.Result;
import org.flinkconnectors.odps.partition.PartitionPredicate.Operator;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.TypeLiteralExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinition;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.AND;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.EQUALS;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.GREATER_THAN;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.IN;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.IS_NOT_NULL;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.IS_NULL;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.LESS_THAN;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.LIKE;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.NOT;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.NOT_EQUALS;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.OR;
import static org.apache.flink.table.functions.BuiltInFunctionDefinitions.UPPER;
import static org.assertj.core.api.Assertions.assertThat;

/** Which pushed-down filters prune partitions exactly, built as Flink's planner hands them over. */
class PartitionFilterTranslatorTest {

    private static final FieldReferenceExpression DS = field("ds", DataTypes.STRING());
    private static final FieldReferenceExpression HH = field("hh", DataTypes.INT());
    private static final FieldReferenceExpression TINY = field("tiny", DataTypes.TINYINT());
    private static final FieldReferenceExpression BIG = field("big", DataTypes.BIGINT());
    private static final FieldReferenceExpression REGION = field("region", DataTypes.VARCHAR(10));
    private static final FieldReferenceExpression DAY = field("day", DataTypes.DATE());
    private static final FieldReferenceExpression NAME = field("name", DataTypes.STRING());

    private static final Map<String, LogicalType> PARTITION_COLUMNS = new LinkedHashMap<>();

    static {
        for (FieldReferenceExpression column : List.of(DS, HH, TINY, BIG, REGION, DAY)) {
            PARTITION_COLUMNS.put(column.getName(), column.getOutputDataType().getLogicalType());
        }
    }

    private static FieldReferenceExpression field(String name, DataType type) {
        return new FieldReferenceExpression(name, type, 0, 0);
    }

    private static ValueLiteralExpression lit(Object value) {
        return new ValueLiteralExpression(value);
    }

    private static CallExpression call(
            BuiltInFunctionDefinition function, ResolvedExpression... args) {
        return CallExpression.permanent(function, List.of(args), DataTypes.BOOLEAN());
    }

    private static CallExpression cast(ResolvedExpression operand, DataType type) {
        return CallExpression.permanent(
                BuiltInFunctionDefinitions.CAST,
                List.of(operand, new TypeLiteralExpression(type)),
                type);
    }

    private static Result translate(ResolvedExpression... filters) {
        return PartitionFilterTranslator.translate(List.of(filters), PARTITION_COLUMNS);
    }

    /** The predicate of a single filter that must be accepted. */
    private static PartitionPredicate accepted(ResolvedExpression filter) {
        Result result = translate(filter);
        assertThat(result.accepted()).as(filter.asSummaryString()).containsExactly(filter);
        assertThat(result.remaining()).isEmpty();
        assertThat(result.predicate()).isPresent();
        return result.predicate().get();
    }

    private static void assertRejected(ResolvedExpression filter) {
        Result result = translate(filter);
        assertThat(result.remaining()).as(filter.asSummaryString()).containsExactly(filter);
        assertThat(result.accepted()).isEmpty();
        assertThat(result.predicate()).isEmpty();
    }

    private static PartitionPredicate ds(Operator op, String value) {
        return PartitionPredicate.compare("ds", PartitionValueType.STRING, op, value);
    }

    // ------------------------------------------------------------------------------------------
    // Accepted
    // ------------------------------------------------------------------------------------------

    @Test
    void comparisonsWithTheColumnOnEitherSide() {
        assertThat(accepted(call(EQUALS, DS, lit("20260101"))))
                .isEqualTo(ds(Operator.EQUALS, "20260101"));
        assertThat(accepted(call(NOT_EQUALS, DS, lit("a"))))
                .isEqualTo(ds(Operator.NOT_EQUALS, "a"));
        assertThat(accepted(call(LESS_THAN, DS, lit("a")))).isEqualTo(ds(Operator.LESS_THAN, "a"));
        assertThat(accepted(call(LESS_THAN_OR_EQUAL, DS, lit("a"))))
                .isEqualTo(ds(Operator.LESS_THAN_OR_EQUAL, "a"));
        assertThat(accepted(call(GREATER_THAN, DS, lit("a"))))
                .isEqualTo(ds(Operator.GREATER_THAN, "a"));
        assertThat(accepted(call(GREATER_THAN_OR_EQUAL, DS, lit("a"))))
                .isEqualTo(ds(Operator.GREATER_THAN_OR_EQUAL, "a"));

        // '2026' < ds  is  ds > '2026'
        assertThat(accepted(call(LESS_THAN, lit("2026"), DS)))
                .isEqualTo(ds(Operator.GREATER_THAN, "2026"));
        assertThat(accepted(call(GREATER_THAN_OR_EQUAL, lit(3), HH)))
                .isEqualTo(
                        PartitionPredicate.compare(
                                "hh", PartitionValueType.INT, Operator.LESS_THAN_OR_EQUAL, 3));
    }

    @Test
    void integerColumnsTakeIntegerLiteralsOfAnyWidth() {
        assertThat(accepted(call(EQUALS, HH, lit(5))).toString()).isEqualTo("hh = 5");
        assertThat(accepted(call(EQUALS, BIG, lit(5_000_000_000L))).toString())
                .isEqualTo("big = 5000000000");
        assertThat(accepted(call(EQUALS, TINY, lit((byte) 7))).toString()).isEqualTo("tiny = 7");
        assertThat(accepted(call(EQUALS, HH, new ValueLiteralExpression((short) 2))).toString())
                .isEqualTo("hh = 2");
    }

    @Test
    void inIsNullAndBooleanOperators() {
        PartitionPredicate in = accepted(call(IN, DS, lit("a"), lit("b")));
        assertThat(in)
                .isEqualTo(
                        PartitionPredicate.in("ds", PartitionValueType.STRING, List.of("a", "b")));

        assertThat(accepted(call(IS_NULL, DS))).isEqualTo(PartitionPredicate.isNull("ds"));
        assertThat(accepted(call(IS_NOT_NULL, HH))).isEqualTo(PartitionPredicate.isNotNull("hh"));

        PartitionPredicate nested =
                accepted(
                        call(
                                OR,
                                call(
                                        AND,
                                        call(GREATER_THAN_OR_EQUAL, DS, lit("2026")),
                                        call(LESS_THAN, HH, lit(12))),
                                call(NOT, call(IN, HH, lit(1), lit(2), lit(3)))));
        assertThat(nested.toString())
                .isEqualTo("((ds >= '2026' AND hh < 12) OR NOT (hh IN (1, 2, 3)))");
    }

    @Test
    void longChainsOfOrAreFlattened() {
        // The planner turns a long IN list into a left-deep chain of binary ORs.
        ResolvedExpression chain = call(EQUALS, HH, lit(0));
        for (int hour = 1; hour < 20_000; hour++) {
            chain = call(OR, chain, call(EQUALS, HH, lit(hour)));
        }

        Result result = translate(chain);

        assertThat(result.accepted()).hasSize(1);
        PartitionPredicate predicate = result.predicate().orElseThrow();
        assertThat(predicate.toString()).startsWith("(hh = 0 OR hh = 1 OR hh = 2 OR ");
        assertThat(predicate.test(Map.of("hh", "19999"))).isTrue();
        assertThat(predicate.test(Map.of("hh", "20000"))).isFalse();
    }

    @Test
    void nestedAndsAreFlattenedButOtherNestingIsKept() {
        PartitionPredicate predicate =
                accepted(
                        call(
                                AND,
                                call(AND, call(EQUALS, DS, lit("a")), call(EQUALS, HH, lit(1))),
                                call(OR, call(EQUALS, HH, lit(2)), call(EQUALS, HH, lit(3)))));

        assertThat(predicate.toString()).isEqualTo("(ds = 'a' AND hh = 1 AND (hh = 2 OR hh = 3))");
    }

    @Test
    void nullLiteralsAreSqlNulls() {
        PartitionPredicate predicate =
                accepted(call(EQUALS, DS, new ValueLiteralExpression(null, DataTypes.STRING())));

        assertThat(predicate.toString()).isEqualTo("ds = NULL");
        assertThat(predicate.test(Map.of("ds", "x"))).isFalse();
        assertThat(
                        accepted(
                                        call(
                                                IN,
                                                HH,
                                                lit(1),
                                                new ValueLiteralExpression(null, DataTypes.INT())))
                                .toString())
                .isEqualTo("hh IN (1, NULL)");
    }

    @Test
    void valuePreservingCastsOfTheColumn() {
        // TINYINT widened to INT, as Flink does to compare it with an INT literal.
        assertThat(accepted(call(EQUALS, cast(TINY, DataTypes.INT()), lit(5))).toString())
                .isEqualTo("tiny = 5");
        assertThat(
                        accepted(call(LESS_THAN, cast(HH, DataTypes.BIGINT()), lit(5_000_000_000L)))
                                .toString())
                .isEqualTo("hh < 5000000000");
        assertThat(accepted(call(EQUALS, cast(REGION, DataTypes.STRING()), lit("eu"))).toString())
                .isEqualTo("region = 'eu'");
        assertThat(accepted(call(EQUALS, cast(HH, DataTypes.INT().notNull()), lit(1))).toString())
                .isEqualTo("hh = 1");
    }

    @Test
    void castLiteralsWithAnExactValue() {
        assertThat(accepted(call(EQUALS, DS, cast(lit(5), DataTypes.STRING()))).toString())
                .isEqualTo("ds = '5'");
        assertThat(accepted(call(EQUALS, HH, cast(lit("05"), DataTypes.INT()))).toString())
                .isEqualTo("hh = 5");
        assertThat(accepted(call(EQUALS, HH, cast(lit("-7"), DataTypes.INT()))).toString())
                .isEqualTo("hh = -7");
        assertThat(accepted(call(EQUALS, BIG, cast(lit(5), DataTypes.BIGINT()))).toString())
                .isEqualTo("big = 5");
        assertThat(accepted(call(EQUALS, DS, cast(lit("ab"), DataTypes.CHAR(2)))).toString())
                .isEqualTo("ds = 'ab'");
        assertThat(
                        accepted(
                                        call(
                                                EQUALS,
                                                DS,
                                                cast(
                                                        new ValueLiteralExpression(
                                                                null, DataTypes.INT()),
                                                        DataTypes.STRING())))
                                .toString())
                .isEqualTo("ds = NULL");
    }

    // ------------------------------------------------------------------------------------------
    // Rejected
    // ------------------------------------------------------------------------------------------

    @Test
    void filtersOnOtherColumnsStayWithFlink() {
        assertRejected(call(EQUALS, NAME, lit("x")));
        assertRejected(call(OR, call(EQUALS, DS, lit("1")), call(EQUALS, NAME, lit("x"))));
        assertRejected(call(AND, call(EQUALS, DS, lit("1")), call(IS_NULL, NAME)));
        assertRejected(call(NOT, call(EQUALS, NAME, lit("x"))));
    }

    @Test
    void unsupportedFunctionsAndShapesStayWithFlink() {
        assertRejected(call(LIKE, DS, lit("2026%")));
        assertRejected(
                call(
                        EQUALS,
                        CallExpression.permanent(UPPER, List.of(DS), DataTypes.STRING()),
                        lit("X")));
        assertRejected(call(EQUALS, DS, REGION));
        assertRejected(call(EQUALS, lit("a"), lit("a")));
        assertRejected(call(IN, DS, lit("a"), REGION));
        assertRejected(call(IN, lit("a"), DS));
        assertRejected(call(IS_NULL, NAME));
    }

    @Test
    void partitionColumnsOfUnsupportedTypesStayWithFlink() {
        assertRejected(call(IS_NULL, DAY));
        assertRejected(
                call(EQUALS, DAY, new ValueLiteralExpression(java.time.LocalDate.of(2026, 1, 1))));
    }

    @Test
    void mismatchedLiteralTypesStayWithFlink() {
        assertRejected(call(EQUALS, DS, lit(5)));
        assertRejected(call(EQUALS, HH, lit("5")));
        assertRejected(call(EQUALS, HH, lit(1.5)));
        assertRejected(call(EQUALS, HH, lit(new BigDecimal("5"))));
        assertRejected(call(EQUALS, HH, lit(true)));
    }

    @Test
    void castsThatChangeValuesStayWithFlink() {
        // A string column cast to a number: Flink trims and parses in ways pruning cannot mirror.
        assertRejected(call(EQUALS, cast(DS, DataTypes.INT()), lit(20260101)));
        // Narrowing casts truncate or overflow.
        assertRejected(call(EQUALS, cast(BIG, DataTypes.INT()), lit(1)));
        assertRejected(call(EQUALS, cast(DS, DataTypes.VARCHAR(3)), lit("202")));
        assertRejected(call(EQUALS, cast(HH, DataTypes.STRING()), lit("1")));
        assertRejected(call(EQUALS, cast(HH, DataTypes.DOUBLE()), lit(1.0)));
        // Literal casts whose result is not obvious.
        assertRejected(call(EQUALS, HH, cast(lit(" 5"), DataTypes.INT())));
        assertRejected(call(EQUALS, HH, cast(lit("+5"), DataTypes.INT())));
        assertRejected(call(EQUALS, HH, cast(lit("5.0"), DataTypes.INT())));
        assertRejected(call(EQUALS, TINY, cast(lit(300), DataTypes.TINYINT())));
        assertRejected(call(EQUALS, DS, cast(lit("abcdef"), DataTypes.VARCHAR(3))));
        assertRejected(call(EQUALS, DS, cast(lit("ab"), DataTypes.CHAR(3))));
        assertRejected(call(EQUALS, DS, cast(lit(1.5), DataTypes.STRING())));
        assertRejected(
                call(
                        EQUALS,
                        HH,
                        CallExpression.permanent(
                                BuiltInFunctionDefinitions.TRY_CAST,
                                List.of(lit("5"), new TypeLiteralExpression(DataTypes.INT())),
                                DataTypes.INT())));
    }

    // ------------------------------------------------------------------------------------------
    // Result
    // ------------------------------------------------------------------------------------------

    @Test
    void acceptedFiltersAreAndedAndTheRestKeepTheirOrder() {
        CallExpression day = call(GREATER_THAN_OR_EQUAL, DS, lit("20260101"));
        CallExpression name = call(EQUALS, NAME, lit("x"));
        CallExpression hour = call(IN, HH, lit(0), lit(12));
        CallExpression like = call(LIKE, DS, lit("2026%"));

        Result result = translate(day, name, hour, like);

        assertThat(result.accepted()).containsExactly(day, hour);
        assertThat(result.remaining()).containsExactly(name, like);
        PartitionPredicate predicate = result.predicate().orElseThrow();
        assertThat(predicate.toString()).isEqualTo("(ds >= '20260101' AND hh IN (0, 12))");
        assertThat(predicate.test(Map.of("ds", "20260102", "hh", "12"))).isTrue();
        assertThat(predicate.test(Map.of("ds", "20260102", "hh", "11"))).isFalse();
        assertThat(predicate.test(Map.of("ds", "20251231", "hh", "12"))).isFalse();
    }

    @Test
    void noFiltersNoPredicate() {
        Result result = PartitionFilterTranslator.translate(List.of(), PARTITION_COLUMNS);

        assertThat(result.predicate()).isEmpty();
        assertThat(result.accepted()).isEmpty();
        assertThat(result.remaining()).isEmpty();
    }

    @Test
    void aTableWithoutPartitionColumnsAcceptsNothing() {
        CallExpression filter = call(EQUALS, DS, lit("1"));

        Result result = PartitionFilterTranslator.translate(List.of(filter), Map.of());

        assertThat(result.remaining()).containsExactly(filter);
        assertThat(result.predicate()).isEmpty();
    }
}
