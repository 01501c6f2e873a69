package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakePredicate.Operator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the filters Flink offers a {@code lake} scan into {@link LakePredicate}s for file pruning:
 * comparisons ({@code =, <>, <, <=, >, >=}) of a column with a literal on either side, {@code IN},
 * {@code IS [NOT] NULL}, and {@code AND}, {@code OR}, {@code NOT} of those. Anything else (a
 * function of a column, a comparison of two columns, a NULL literal) is not translated; such a
 * filter only prunes nothing, since Flink applies every filter to the rows anyway.
 */
@Internal
final class LakeFilterTranslator {

    private static final Map<FunctionDefinition, Operator> COMPARISONS =
            Map.of(
                    BuiltInFunctionDefinitions.EQUALS, Operator.EQUAL,
                    BuiltInFunctionDefinitions.NOT_EQUALS, Operator.NOT_EQUAL,
                    BuiltInFunctionDefinitions.LESS_THAN, Operator.LESS_THAN,
                    BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL, Operator.LESS_THAN_OR_EQUAL,
                    BuiltInFunctionDefinitions.GREATER_THAN, Operator.GREATER_THAN,
                    BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL,
                            Operator.GREATER_THAN_OR_EQUAL);

    private LakeFilterTranslator() {}

    /** The predicate of one filter, if all of it translates. */
    static Optional<LakePredicate> translate(ResolvedExpression filter) {
        if (!(filter instanceof CallExpression call)) {
            return Optional.empty();
        }
        FunctionDefinition function = call.getFunctionDefinition();
        List<ResolvedExpression> args = call.getResolvedChildren();
        if (function == BuiltInFunctionDefinitions.AND
                || function == BuiltInFunctionDefinitions.OR) {
            List<LakePredicate> children = new ArrayList<>();
            for (ResolvedExpression arg : args) {
                Optional<LakePredicate> child = translate(arg);
                if (child.isEmpty()) {
                    return Optional.empty();
                }
                children.add(child.get());
            }
            return Optional.of(
                    function == BuiltInFunctionDefinitions.AND
                            ? new LakePredicate.And(children)
                            : new LakePredicate.Or(children));
        }
        if (function == BuiltInFunctionDefinitions.NOT && args.size() == 1) {
            return translate(args.get(0)).map(LakePredicate::not);
        }
        if ((function == BuiltInFunctionDefinitions.IS_NULL
                        || function == BuiltInFunctionDefinitions.IS_NOT_NULL)
                && args.size() == 1) {
            boolean negated = function == BuiltInFunctionDefinitions.IS_NOT_NULL;
            return column(args.get(0)).map(column -> new LakePredicate.IsNull(column, negated));
        }
        Operator operator = COMPARISONS.get(function);
        if (operator != null && args.size() == 2) {
            Optional<LakePredicate> direct = comparison(args.get(0), operator, args.get(1));
            return direct.isPresent()
                    ? direct
                    : comparison(args.get(1), swapped(operator), args.get(0));
        }
        if (function == BuiltInFunctionDefinitions.IN && args.size() >= 2) {
            List<LakePredicate> equalities = new ArrayList<>();
            for (ResolvedExpression value : args.subList(1, args.size())) {
                Optional<LakePredicate> equality = comparison(args.get(0), Operator.EQUAL, value);
                if (equality.isEmpty()) {
                    return Optional.empty();
                }
                equalities.add(equality.get());
            }
            return Optional.of(new LakePredicate.Or(equalities));
        }
        return Optional.empty();
    }

    private static Optional<LakePredicate> comparison(
            ResolvedExpression columnSide, Operator operator, ResolvedExpression literalSide) {
        Optional<String> column = column(columnSide);
        Optional<Object> literal = literal(literalSide);
        if (column.isEmpty() || literal.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LakePredicate.Comparison(column.get(), operator, literal.get()));
    }

    /**
     * The column an expression reads: a field reference, or one widened by an implicit cast between
     * integer types (as Flink inserts for {@code int_column = 5000000000}), which keeps every value
     * and its order.
     */
    private static Optional<String> column(ResolvedExpression expression) {
        if (expression instanceof FieldReferenceExpression field) {
            return Optional.of(field.getName());
        }
        if (expression instanceof CallExpression call
                && call.getFunctionDefinition() == BuiltInFunctionDefinitions.CAST
                && call.getResolvedChildren().size() >= 1) {
            ResolvedExpression operand = call.getResolvedChildren().get(0);
            LogicalType from = operand.getOutputDataType().getLogicalType();
            LogicalType to = call.getOutputDataType().getLogicalType();
            if (from.is(LogicalTypeFamily.INTEGER_NUMERIC)
                    && to.is(LogicalTypeFamily.INTEGER_NUMERIC)
                    && rank(to) >= rank(from)) {
                return column(operand);
            }
        }
        return Optional.empty();
    }

    private static int rank(LogicalType integerType) {
        return switch (integerType.getTypeRoot()) {
            case TINYINT -> 1;
            case SMALLINT -> 2;
            case INTEGER -> 3;
            default -> 4;
        };
    }

    /** A literal's value as one of the Java types {@link LakePredicate} documents. */
    private static Optional<Object> literal(ResolvedExpression expression) {
        if (!(expression instanceof ValueLiteralExpression literal) || literal.isNull()) {
            return Optional.empty();
        }
        LogicalType type = literal.getOutputDataType().getLogicalType();
        Class<?> javaType =
                switch (type.getTypeRoot()) {
                    case BOOLEAN -> Boolean.class;
                    case TINYINT, SMALLINT, INTEGER -> Integer.class;
                    case BIGINT -> Long.class;
                    case FLOAT -> Float.class;
                    case DOUBLE -> Double.class;
                    case DECIMAL -> BigDecimal.class;
                    case CHAR, VARCHAR -> String.class;
                    case DATE -> LocalDate.class;
                    case TIMESTAMP_WITHOUT_TIME_ZONE -> LocalDateTime.class;
                    case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Instant.class;
                    default -> null;
                };
        if (javaType == null) {
            return Optional.empty();
        }
        if (javaType == Integer.class) {
            return literal.getValueAs(Number.class).map(Number::intValue);
        }
        return literal.getValueAs(javaType).map(Object.class::cast);
    }

    private static Operator swapped(Operator operator) {
        return switch (operator) {
            case LESS_THAN -> Operator.GREATER_THAN;
            case LESS_THAN_OR_EQUAL -> Operator.GREATER_THAN_OR_EQUAL;
            case GREATER_THAN -> Operator.LESS_THAN;
            case GREATER_THAN_OR_EQUAL -> Operator.LESS_THAN_OR_EQUAL;
            default -> operator;
        };
    }
}
