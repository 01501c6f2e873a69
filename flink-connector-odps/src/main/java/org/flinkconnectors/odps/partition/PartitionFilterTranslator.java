package org.flinkconnectors.odps.partition;

import org.flinkconnectors.odps.partition.PartitionPredicate.Operator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the filters Flink offers through {@code SupportsFilterPushDown.applyFilters} into a {@link
 * PartitionPredicate}. A filter is accepted only when it can be evaluated exactly on partition
 * values alone: it references partition columns only, uses only comparisons, {@code IN}, {@code IS
 * [NOT] NULL}, {@code AND}, {@code OR} and {@code NOT}, and compares each column with literals.
 * Everything else stays with Flink.
 *
 * <p>Flink inserts casts when the two sides of a comparison differ in type. A cast is accepted
 * where its result is known exactly: widening an integer column, widening a {@code VARCHAR} column,
 * and casting a literal whose cast value is unambiguous ({@code CAST(5 AS STRING)}, {@code CAST('5'
 * AS INT)}). A string column cast to a number ({@code CAST(ds AS INT) = 20260101}) is not pruned:
 * Flink's cast trims and parses in ways a check of partition values could only approximate. (Flink
 * itself rejects {@code ds = 20260101} on a {@code STRING} column.)
 */
@Internal
public final class PartitionFilterTranslator {

    private static final Pattern INTEGER_LITERAL = Pattern.compile("-?[0-9]{1,19}");

    private static final Map<FunctionDefinition, Operator> COMPARISONS = new HashMap<>();

    static {
        COMPARISONS.put(BuiltInFunctionDefinitions.EQUALS, Operator.EQUALS);
        COMPARISONS.put(BuiltInFunctionDefinitions.NOT_EQUALS, Operator.NOT_EQUALS);
        COMPARISONS.put(BuiltInFunctionDefinitions.LESS_THAN, Operator.LESS_THAN);
        COMPARISONS.put(BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL, Operator.LESS_THAN_OR_EQUAL);
        COMPARISONS.put(BuiltInFunctionDefinitions.GREATER_THAN, Operator.GREATER_THAN);
        COMPARISONS.put(
                BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL, Operator.GREATER_THAN_OR_EQUAL);
    }

    private final Map<String, PartitionValueType> columnTypes;

    private PartitionFilterTranslator(Map<String, PartitionValueType> columnTypes) {
        this.columnTypes = columnTypes;
    }

    /**
     * Splits {@code filters} (a conjunction) into those that prune partitions exactly and the rest.
     *
     * @param partitionColumns the partition columns and their Flink types; columns of types that
     *     partitions cannot be pruned on are ignored
     */
    public static Result translate(
            List<ResolvedExpression> filters, Map<String, LogicalType> partitionColumns) {
        Map<String, PartitionValueType> columnTypes = new HashMap<>();
        partitionColumns.forEach(
                (name, type) ->
                        PartitionValueType.of(type).ifPresent(t -> columnTypes.put(name, t)));
        PartitionFilterTranslator translator = new PartitionFilterTranslator(columnTypes);

        List<PartitionPredicate> predicates = new ArrayList<>();
        List<ResolvedExpression> accepted = new ArrayList<>();
        List<ResolvedExpression> remaining = new ArrayList<>();
        for (ResolvedExpression filter : filters) {
            Optional<PartitionPredicate> predicate = translator.convert(filter);
            if (predicate.isPresent()) {
                predicates.add(predicate.get());
                accepted.add(filter);
            } else {
                remaining.add(filter);
            }
        }
        return new Result(
                predicates.isEmpty()
                        ? Optional.empty()
                        : Optional.of(PartitionPredicate.and(predicates)),
                accepted,
                remaining);
    }

    private Optional<PartitionPredicate> convert(ResolvedExpression expression) {
        if (!(expression instanceof CallExpression)) {
            return Optional.empty();
        }
        CallExpression call = (CallExpression) expression;
        FunctionDefinition function = call.getFunctionDefinition();
        List<ResolvedExpression> args = call.getResolvedChildren();

        if (function == BuiltInFunctionDefinitions.AND
                || function == BuiltInFunctionDefinitions.OR) {
            List<PartitionPredicate> children = new ArrayList<>();
            for (ResolvedExpression arg : operands(call)) {
                Optional<PartitionPredicate> child = convert(arg);
                if (child.isEmpty()) {
                    return Optional.empty();
                }
                children.add(child.get());
            }
            if (children.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(
                    function == BuiltInFunctionDefinitions.AND
                            ? PartitionPredicate.and(children)
                            : PartitionPredicate.or(children));
        }
        if (function == BuiltInFunctionDefinitions.NOT && args.size() == 1) {
            return convert(args.get(0)).map(PartitionPredicate::not);
        }
        if ((function == BuiltInFunctionDefinitions.IS_NULL
                        || function == BuiltInFunctionDefinitions.IS_NOT_NULL)
                && args.size() == 1) {
            return column(args.get(0))
                    .map(
                            column ->
                                    function == BuiltInFunctionDefinitions.IS_NULL
                                            ? PartitionPredicate.isNull(column)
                                            : PartitionPredicate.isNotNull(column));
        }
        Operator operator = COMPARISONS.get(function);
        if (operator != null && args.size() == 2) {
            Optional<PartitionPredicate> direct = comparison(args.get(0), operator, args.get(1));
            return direct.isPresent()
                    ? direct
                    : comparison(args.get(1), operator.swapped(), args.get(0));
        }
        if (function == BuiltInFunctionDefinitions.IN && args.size() >= 2) {
            Optional<String> column = column(args.get(0));
            if (column.isEmpty()) {
                return Optional.empty();
            }
            PartitionValueType type = columnTypes.get(column.get());
            List<Object> values = new ArrayList<>();
            for (ResolvedExpression arg : args.subList(1, args.size())) {
                Optional<Literal> literal = literal(arg, type);
                if (literal.isEmpty()) {
                    return Optional.empty();
                }
                values.add(literal.get().value);
            }
            return Optional.of(PartitionPredicate.in(column.get(), type, values));
        }
        return Optional.empty();
    }

    /**
     * The operands of a chain of the same AND or OR, flattened without recursion: the planner turns
     * a long IN list into a left-deep chain of binary ORs as deep as the list is long.
     */
    private static List<ResolvedExpression> operands(CallExpression junction) {
        FunctionDefinition function = junction.getFunctionDefinition();
        List<ResolvedExpression> operands = new ArrayList<>();
        Deque<ResolvedExpression> pending = new ArrayDeque<>();
        pushReversed(pending, junction.getResolvedChildren());
        while (!pending.isEmpty()) {
            ResolvedExpression next = pending.pop();
            if (next instanceof CallExpression
                    && ((CallExpression) next).getFunctionDefinition() == function) {
                pushReversed(pending, next.getResolvedChildren());
            } else {
                operands.add(next);
            }
        }
        return operands;
    }

    private static void pushReversed(
            Deque<ResolvedExpression> stack, List<ResolvedExpression> expressions) {
        for (int i = expressions.size() - 1; i >= 0; i--) {
            stack.push(expressions.get(i));
        }
    }

    private Optional<PartitionPredicate> comparison(
            ResolvedExpression columnSide, Operator operator, ResolvedExpression literalSide) {
        Optional<String> column = column(columnSide);
        if (column.isEmpty()) {
            return Optional.empty();
        }
        PartitionValueType type = columnTypes.get(column.get());
        return literal(literalSide, type)
                .map(
                        literal ->
                                PartitionPredicate.compare(
                                        column.get(), type, operator, literal.value));
    }

    /** The partition column {@code expression} reads, unchanged in value by any cast around it. */
    private Optional<String> column(ResolvedExpression expression) {
        if (expression instanceof FieldReferenceExpression) {
            String name = ((FieldReferenceExpression) expression).getName();
            return columnTypes.containsKey(name) ? Optional.of(name) : Optional.empty();
        }
        if (isCast(expression)) {
            ResolvedExpression operand = expression.getResolvedChildren().get(0);
            LogicalType from = operand.getOutputDataType().getLogicalType();
            LogicalType to = expression.getOutputDataType().getLogicalType();
            return preservesValue(from, to) ? column(operand) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether casting any value of {@code from} to {@code to} keeps it and its order. */
    private static boolean preservesValue(LogicalType from, LogicalType to) {
        if (from.copy(true).equals(to.copy(true))) {
            return true;
        }
        Optional<PartitionValueType> source = PartitionValueType.of(from);
        Optional<PartitionValueType> target = PartitionValueType.of(to);
        if (source.isEmpty() || target.isEmpty()) {
            return false;
        }
        if (source.get().isInteger() && target.get().isInteger()) {
            return target.get().includes(source.get());
        }
        return from.getTypeRoot() == LogicalTypeRoot.VARCHAR
                && to.getTypeRoot() == LogicalTypeRoot.VARCHAR
                && LogicalTypeChecks.getLength(to) >= LogicalTypeChecks.getLength(from);
    }

    /** The value of a literal, possibly cast, as a literal of a column of type {@code type}. */
    private static Optional<Literal> literal(
            ResolvedExpression expression, PartitionValueType type) {
        return value(expression)
                .filter(
                        literal ->
                                literal.value == null
                                        || (type == PartitionValueType.STRING)
                                                == (literal.value instanceof String));
    }

    /** The value of a literal expression as a String or a Long, if known exactly. */
    private static Optional<Literal> value(ResolvedExpression expression) {
        if (expression instanceof ValueLiteralExpression) {
            ValueLiteralExpression literal = (ValueLiteralExpression) expression;
            if (literal.isNull()) {
                return Optional.of(Literal.NULL);
            }
            LogicalType type = literal.getOutputDataType().getLogicalType();
            switch (type.getTypeRoot()) {
                case CHAR:
                case VARCHAR:
                    return literal.getValueAs(String.class).map(Literal::new);
                case TINYINT:
                case SMALLINT:
                case INTEGER:
                case BIGINT:
                    return literal.getValueAs(Number.class)
                            .flatMap(PartitionFilterTranslator::exactLong)
                            .map(Literal::new);
                default:
                    return Optional.empty();
            }
        }
        if (isCast(expression)) {
            LogicalType target = expression.getOutputDataType().getLogicalType();
            return value(expression.getResolvedChildren().get(0))
                    .flatMap(operand -> cast(operand, target));
        }
        return Optional.empty();
    }

    /** Flink's CAST of a String or Long to {@code target}, where the result is unambiguous. */
    private static Optional<Literal> cast(Literal operand, LogicalType target) {
        if (operand.value == null) {
            return Optional.of(Literal.NULL);
        }
        Optional<PartitionValueType> targetType = PartitionValueType.of(target);
        if (targetType.isEmpty()) {
            return Optional.empty();
        }
        if (targetType.get() == PartitionValueType.STRING) {
            String text = operand.value.toString();
            int length = text.codePointCount(0, text.length());
            int targetLength = LogicalTypeChecks.getLength(target);
            // VARCHAR truncates longer values, CHAR also pads shorter ones: both change the value.
            boolean exact =
                    target.getTypeRoot() == LogicalTypeRoot.VARCHAR
                            ? length <= targetLength
                            : length == targetLength;
            return exact ? Optional.of(new Literal(text)) : Optional.empty();
        }
        Long number;
        if (operand.value instanceof Long) {
            number = (Long) operand.value;
        } else if (INTEGER_LITERAL.matcher((String) operand.value).matches()) {
            try {
                number = Long.parseLong((String) operand.value);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        return targetType.get().inRange(number)
                ? Optional.of(new Literal(number))
                : Optional.empty();
    }

    /** The value of an integer literal; TINYINT to BIGINT literals hold a Byte to a Long. */
    private static Optional<Long> exactLong(Number number) {
        return number instanceof Long
                        || number instanceof Integer
                        || number instanceof Short
                        || number instanceof Byte
                ? Optional.of(number.longValue())
                : Optional.empty();
    }

    private static boolean isCast(ResolvedExpression expression) {
        return expression instanceof CallExpression
                && ((CallExpression) expression).getFunctionDefinition()
                        == BuiltInFunctionDefinitions.CAST
                && !expression.getResolvedChildren().isEmpty();
    }

    /** A literal's value, a String, a Long, or null for SQL's NULL. */
    private static final class Literal {
        static final Literal NULL = new Literal(null);

        final Object value;

        Literal(Object value) {
            this.value = value;
        }
    }

    /** What {@link #translate} made of the filters. */
    @Internal
    public static final class Result {
        private final Optional<PartitionPredicate> predicate;
        private final List<ResolvedExpression> accepted;
        private final List<ResolvedExpression> remaining;

        Result(
                Optional<PartitionPredicate> predicate,
                List<ResolvedExpression> accepted,
                List<ResolvedExpression> remaining) {
            this.predicate = predicate;
            this.accepted = Collections.unmodifiableList(accepted);
            this.remaining = Collections.unmodifiableList(remaining);
        }

        /** The conjunction of the accepted filters, empty if none was accepted. */
        public Optional<PartitionPredicate> predicate() {
            return predicate;
        }

        /** Filters the partition predicate evaluates exactly; Flink need not apply them again. */
        public List<ResolvedExpression> accepted() {
            return accepted;
        }

        /** Filters Flink must still apply to the rows. */
        public List<ResolvedExpression> remaining() {
            return remaining;
        }
    }
}
