package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakePredicate.Comparison;
import org.flinkconnectors.lake.core.LakePredicate.Operator;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.TypeLiteralExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinition;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.types.DataType;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Flink's resolved filter expressions as {@link LakePredicate}s, and what stays untranslated. */
class LakeFilterTranslatorTest {

    private static final FieldReferenceExpression ID =
            new FieldReferenceExpression("id", DataTypes.BIGINT(), 0, 0);
    private static final FieldReferenceExpression QTY =
            new FieldReferenceExpression("qty", DataTypes.INT(), 0, 1);
    private static final FieldReferenceExpression DAY =
            new FieldReferenceExpression("day", DataTypes.DATE(), 0, 2);

    @Test
    void comparisonsWithTheLiteralOnEitherSide() {
        assertThat(translate(call(BuiltInFunctionDefinitions.GREATER_THAN, ID, literal(5L))))
                .contains(new Comparison("id", Operator.GREATER_THAN, 5L));
        assertThat(translate(call(BuiltInFunctionDefinitions.GREATER_THAN, literal(5L), ID)))
                .contains(new Comparison("id", Operator.LESS_THAN, 5L));
        assertThat(
                        translate(
                                call(
                                        BuiltInFunctionDefinitions.NOT_EQUALS,
                                        DAY,
                                        literal(LocalDate.of(2026, 1, 2)))))
                .contains(new Comparison("day", Operator.NOT_EQUAL, LocalDate.of(2026, 1, 2)));
    }

    @Test
    void inNullChecksAndBooleanCombinations() {
        ResolvedExpression in = call(BuiltInFunctionDefinitions.IN, ID, literal(1L), literal(2L));
        ResolvedExpression notNull = call(BuiltInFunctionDefinitions.IS_NOT_NULL, QTY);

        assertThat(translate(call(BuiltInFunctionDefinitions.AND, in, notNull)))
                .contains(
                        LakePredicate.and(
                                LakePredicate.or(
                                        LakePredicate.equal("id", 1L),
                                        LakePredicate.equal("id", 2L)),
                                new LakePredicate.IsNull("qty", true)));
        assertThat(translate(call(BuiltInFunctionDefinitions.NOT, notNull)))
                .contains(LakePredicate.not(new LakePredicate.IsNull("qty", true)));
    }

    @Test
    void aWideningCastOfAnIntegerColumnIsTheColumn() {
        ResolvedExpression widened =
                CallExpression.permanent(
                        BuiltInFunctionDefinitions.CAST,
                        List.of(QTY, typeLiteral(DataTypes.BIGINT())),
                        DataTypes.BIGINT());

        assertThat(translate(call(BuiltInFunctionDefinitions.EQUALS, widened, literal(7L))))
                .contains(LakePredicate.equal("qty", 7L));
    }

    @Test
    void columnToColumnComparisonsNullLiteralsAndOtherFunctionsStayUntranslated() {
        ValueLiteralExpression nullLiteral = new ValueLiteralExpression(null, DataTypes.BIGINT());

        assertThat(translate(call(BuiltInFunctionDefinitions.EQUALS, ID, QTY))).isEmpty();
        assertThat(translate(call(BuiltInFunctionDefinitions.EQUALS, ID, nullLiteral))).isEmpty();
        assertThat(
                        translate(
                                call(
                                        BuiltInFunctionDefinitions.OR,
                                        call(BuiltInFunctionDefinitions.EQUALS, ID, literal(1L)),
                                        call(BuiltInFunctionDefinitions.LIKE, ID, literal("1%")))))
                .isEmpty();
    }

    private static Optional<LakePredicate> translate(ResolvedExpression filter) {
        return LakeFilterTranslator.translate(filter);
    }

    private static ResolvedExpression call(
            BuiltInFunctionDefinition function, ResolvedExpression... args) {
        return CallExpression.permanent(function, List.of(args), DataTypes.BOOLEAN());
    }

    private static ValueLiteralExpression literal(Object value) {
        return new ValueLiteralExpression(value);
    }

    private static ResolvedExpression typeLiteral(DataType type) {
        return new TypeLiteralExpression(type);
    }
}
