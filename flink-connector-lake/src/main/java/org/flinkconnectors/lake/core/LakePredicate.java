package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A format-neutral filter on top-level columns, the common ground of Iceberg expressions and Delta
 * Kernel predicates: comparisons of a column with a literal, null checks, and their combinations.
 * Each format translates it into its own expression to prune partitions and files.
 *
 * <p>Literals are plain Java values: {@code Boolean}, {@code Integer}, {@code Long}, {@code Float},
 * {@code Double}, {@code String}, {@code java.math.BigDecimal}, {@code java.time.LocalDate}, {@code
 * java.time.LocalDateTime} (timestamp without time zone) and {@code java.time.Instant} (with local
 * time zone). A format that cannot translate a predicate ignores it for pruning.
 */
@PublicEvolving
public sealed interface LakePredicate extends Serializable {

    /** A comparison operator. */
    @PublicEvolving
    enum Operator {
        EQUAL("="),
        NOT_EQUAL("<>"),
        LESS_THAN("<"),
        LESS_THAN_OR_EQUAL("<="),
        GREATER_THAN(">"),
        GREATER_THAN_OR_EQUAL(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** {@code column <op> literal}. */
    record Comparison(String column, Operator operator, Object literal) implements LakePredicate {
        public Comparison {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(literal, "literal (use IsNull for null checks)");
        }

        @Override
        public String toString() {
            return column + " " + operator.symbol() + " " + literal;
        }
    }

    /** {@code column IS NULL}, or {@code IS NOT NULL} if negated. */
    record IsNull(String column, boolean negated) implements LakePredicate {
        public IsNull {
            Objects.requireNonNull(column, "column");
        }

        @Override
        public String toString() {
            return column + (negated ? " IS NOT NULL" : " IS NULL");
        }
    }

    /** All of the children hold. */
    record And(List<LakePredicate> children) implements LakePredicate {
        public And {
            children = List.copyOf(children);
        }
    }

    /** At least one of the children holds. */
    record Or(List<LakePredicate> children) implements LakePredicate {
        public Or {
            children = List.copyOf(children);
        }
    }

    /** The child does not hold. */
    record Not(LakePredicate child) implements LakePredicate {
        public Not {
            Objects.requireNonNull(child, "child");
        }
    }

    /** The columns the predicate refers to. */
    default Set<String> columns() {
        Set<String> columns = new LinkedHashSet<>();
        collectColumns(this, columns);
        return columns;
    }

    private static void collectColumns(LakePredicate predicate, Set<String> columns) {
        if (predicate instanceof Comparison comparison) {
            columns.add(comparison.column());
        } else if (predicate instanceof IsNull isNull) {
            columns.add(isNull.column());
        } else if (predicate instanceof And and) {
            and.children().forEach(child -> collectColumns(child, columns));
        } else if (predicate instanceof Or or) {
            or.children().forEach(child -> collectColumns(child, columns));
        } else {
            collectColumns(((Not) predicate).child(), columns);
        }
    }

    static LakePredicate equal(String column, Object literal) {
        return new Comparison(column, Operator.EQUAL, literal);
    }

    static LakePredicate lessThan(String column, Object literal) {
        return new Comparison(column, Operator.LESS_THAN, literal);
    }

    static LakePredicate greaterThan(String column, Object literal) {
        return new Comparison(column, Operator.GREATER_THAN, literal);
    }

    static LakePredicate isNull(String column) {
        return new IsNull(column, false);
    }

    static LakePredicate and(LakePredicate... children) {
        return new And(List.of(children));
    }

    static LakePredicate or(LakePredicate... children) {
        return new Or(List.of(children));
    }

    static LakePredicate not(LakePredicate child) {
        return new Not(child);
    }
}
