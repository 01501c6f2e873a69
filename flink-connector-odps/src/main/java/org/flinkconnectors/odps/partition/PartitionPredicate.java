package org.flinkconnectors.odps.partition;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import com.aliyun.odps.PartitionSpec;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A condition on the partition values of a MaxCompute table, used to prune partitions before any
 * row is read: comparisons, {@code IN}, {@code IS [NOT] NULL}, {@code AND}, {@code OR} and {@code
 * NOT}, with SQL's three-valued logic. A partition is selected only when the condition is true.
 *
 * <p>Values compare by the partition column's type: strings by code point (lexicographically),
 * integers numerically. A partition value that does not parse as the column's type makes a
 * comparison false. Immutable and serializable; {@link #toString()} is a readable SQL-like form for
 * EXPLAIN and logs.
 *
 * <pre>{@code
 * PartitionPredicate p =
 *         PartitionPredicate.and(
 *                 PartitionPredicate.compare(
 *                         "ds", PartitionValueType.STRING, Operator.GREATER_THAN_OR_EQUAL, "20260101"),
 *                 PartitionPredicate.in("hh", PartitionValueType.INT, List.of(0, 12)));
 * boolean selected = p.test(new PartitionSpec("ds=20260102/hh=12")); // true
 * }</pre>
 */
@PublicEvolving
public abstract class PartitionPredicate implements Serializable {

    private static final long serialVersionUID = 1L;

    private PartitionPredicate() {}

    /** A comparison operator; the left side is the partition column. */
    @PublicEvolving
    public enum Operator {
        EQUALS("="),
        NOT_EQUALS("<>"),
        LESS_THAN("<"),
        LESS_THAN_OR_EQUAL("<="),
        GREATER_THAN(">"),
        GREATER_THAN_OR_EQUAL(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
        public Operator swapped() {
            switch (this) {
                case LESS_THAN:
                    return GREATER_THAN;
                case LESS_THAN_OR_EQUAL:
                    return GREATER_THAN_OR_EQUAL;
                case GREATER_THAN:
                    return LESS_THAN;
                case GREATER_THAN_OR_EQUAL:
                    return LESS_THAN_OR_EQUAL;
                default:
                    return this;
            }
        }

        boolean holds(int comparison) {
            switch (this) {
                case EQUALS:
                    return comparison == 0;
                case NOT_EQUALS:
                    return comparison != 0;
                case LESS_THAN:
                    return comparison < 0;
                case LESS_THAN_OR_EQUAL:
                    return comparison <= 0;
                case GREATER_THAN:
                    return comparison > 0;
                default:
                    return comparison >= 0;
            }
        }

        @Override
        public String toString() {
            return symbol;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Factories
    // ------------------------------------------------------------------------------------------

    /** {@code column op value}; a null value is SQL's NULL, so the comparison is never true. */
    public static PartitionPredicate compare(
            String column, PartitionValueType type, Operator op, @Nullable Object value) {
        return new Comparison(column, type, op, value == null ? null : type.literal(value));
    }

    /** {@code column IN (values)}; null elements are SQL NULLs. */
    public static PartitionPredicate in(String column, PartitionValueType type, List<?> values) {
        Preconditions.checkArgument(!values.isEmpty(), "IN needs at least one value");
        List<Object> literals = new ArrayList<>(values.size());
        for (Object value : values) {
            literals.add(value == null ? null : type.literal(value));
        }
        return new In(column, type, literals);
    }

    public static PartitionPredicate isNull(String column) {
        return new IsNull(column, false);
    }

    public static PartitionPredicate isNotNull(String column) {
        return new IsNull(column, true);
    }

    public static PartitionPredicate and(PartitionPredicate... children) {
        return and(List.of(children));
    }

    /** The conjunction; a single child is returned as it is. */
    public static PartitionPredicate and(List<PartitionPredicate> children) {
        return children.size() == 1 ? children.get(0) : new Junction(true, children);
    }

    public static PartitionPredicate or(PartitionPredicate... children) {
        return or(List.of(children));
    }

    /** The disjunction; a single child is returned as it is. */
    public static PartitionPredicate or(List<PartitionPredicate> children) {
        return children.size() == 1 ? children.get(0) : new Junction(false, children);
    }

    public static PartitionPredicate not(PartitionPredicate child) {
        return new Not(child);
    }

    // ------------------------------------------------------------------------------------------
    // Evaluation
    // ------------------------------------------------------------------------------------------

    /**
     * Whether the partition is selected, i.e. the condition is true (not false, not unknown).
     *
     * @param partition partition values by column name (names match case-insensitively); a column
     *     that is absent is NULL
     */
    public final boolean test(Map<String, String> partition) {
        return Boolean.TRUE.equals(evaluate(partition));
    }

    /** Whether the partition is selected. */
    public final boolean test(PartitionSpec partition) {
        return test(PartitionValues.toMap(partition));
    }

    /** TRUE, FALSE, or null for SQL's UNKNOWN. */
    @Nullable
    abstract Boolean evaluate(Map<String, String> partition);

    // ------------------------------------------------------------------------------------------
    // Implementations
    // ------------------------------------------------------------------------------------------

    private static final class Comparison extends PartitionPredicate {
        private static final long serialVersionUID = 1L;

        private final String column;
        private final PartitionValueType type;
        private final Operator op;
        @Nullable private final Object literal;

        Comparison(String column, PartitionValueType type, Operator op, @Nullable Object literal) {
            this.column = Preconditions.checkNotNull(column);
            this.type = Preconditions.checkNotNull(type);
            this.op = Preconditions.checkNotNull(op);
            this.literal = literal;
        }

        @Override
        Boolean evaluate(Map<String, String> partition) {
            String raw = PartitionValues.get(partition, column);
            if (raw == null || literal == null) {
                return null;
            }
            Object value = type.parse(raw);
            return value != null && op.holds(type.compare(value, literal));
        }

        @Override
        public String toString() {
            return column + " " + op + " " + type.format(literal);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Comparison)) {
                return false;
            }
            Comparison that = (Comparison) o;
            return column.equals(that.column)
                    && type == that.type
                    && op == that.op
                    && Objects.equals(literal, that.literal);
        }

        @Override
        public int hashCode() {
            return Objects.hash(column, type, op, literal);
        }
    }

    private static final class In extends PartitionPredicate {
        private static final long serialVersionUID = 1L;

        private final String column;
        private final PartitionValueType type;
        private final ArrayList<Object> literals;

        In(String column, PartitionValueType type, List<Object> literals) {
            this.column = Preconditions.checkNotNull(column);
            this.type = Preconditions.checkNotNull(type);
            this.literals = new ArrayList<>(literals);
        }

        @Override
        Boolean evaluate(Map<String, String> partition) {
            String raw = PartitionValues.get(partition, column);
            if (raw == null) {
                return null;
            }
            Object value = type.parse(raw);
            if (value == null) {
                return false;
            }
            boolean sawNull = false;
            for (Object literal : literals) {
                if (literal == null) {
                    sawNull = true;
                } else if (type.compare(value, literal) == 0) {
                    return true;
                }
            }
            return sawNull ? null : false;
        }

        @Override
        public String toString() {
            return literals.stream()
                    .map(type::format)
                    .collect(Collectors.joining(", ", column + " IN (", ")"));
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof In)) {
                return false;
            }
            In that = (In) o;
            return column.equals(that.column)
                    && type == that.type
                    && literals.equals(that.literals);
        }

        @Override
        public int hashCode() {
            return Objects.hash(column, type, literals);
        }
    }

    private static final class IsNull extends PartitionPredicate {
        private static final long serialVersionUID = 1L;

        private final String column;
        private final boolean negated;

        IsNull(String column, boolean negated) {
            this.column = Preconditions.checkNotNull(column);
            this.negated = negated;
        }

        @Override
        Boolean evaluate(Map<String, String> partition) {
            return (PartitionValues.get(partition, column) == null) != negated;
        }

        @Override
        public String toString() {
            return column + (negated ? " IS NOT NULL" : " IS NULL");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IsNull
                    && column.equals(((IsNull) o).column)
                    && negated == ((IsNull) o).negated;
        }

        @Override
        public int hashCode() {
            return Objects.hash(column, negated);
        }
    }

    /** AND or OR of two or more children. */
    private static final class Junction extends PartitionPredicate {
        private static final long serialVersionUID = 1L;

        private final boolean conjunction;
        private final ArrayList<PartitionPredicate> children;

        Junction(boolean conjunction, List<PartitionPredicate> children) {
            Preconditions.checkArgument(!children.isEmpty(), "AND/OR needs at least one operand");
            this.conjunction = conjunction;
            this.children = new ArrayList<>(children);
            this.children.forEach(Preconditions::checkNotNull);
        }

        @Override
        Boolean evaluate(Map<String, String> partition) {
            // AND: any FALSE decides, OR: any TRUE decides; otherwise an UNKNOWN stays unknown.
            boolean decisive = !conjunction;
            boolean unknown = false;
            for (PartitionPredicate child : children) {
                Boolean value = child.evaluate(partition);
                if (value == null) {
                    unknown = true;
                } else if (value == decisive) {
                    return decisive;
                }
            }
            return unknown ? null : !decisive;
        }

        @Override
        public String toString() {
            return children.stream()
                    .map(PartitionPredicate::toString)
                    .collect(Collectors.joining(conjunction ? " AND " : " OR ", "(", ")"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Junction
                    && conjunction == ((Junction) o).conjunction
                    && children.equals(((Junction) o).children);
        }

        @Override
        public int hashCode() {
            return Objects.hash(conjunction, children);
        }
    }

    private static final class Not extends PartitionPredicate {
        private static final long serialVersionUID = 1L;

        private final PartitionPredicate child;

        Not(PartitionPredicate child) {
            this.child = Preconditions.checkNotNull(child);
        }

        @Override
        Boolean evaluate(Map<String, String> partition) {
            Boolean value = child.evaluate(partition);
            return value == null ? null : !value;
        }

        @Override
        public String toString() {
            return "NOT (" + child + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Not && child.equals(((Not) o).child);
        }

        @Override
        public int hashCode() {
            return Objects.hash("NOT", child);
        }
    }
}
