package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakePredicate;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates {@link LakePredicate}s into Iceberg expressions for scan planning.
 *
 * <p>An untranslatable part (an unsupported literal type) may be dropped from a conjunction, since
 * a weaker filter only prunes less; under a negation or in a disjunction it may not, so there the
 * whole predicate is given up. Dates become epoch days and timestamps epoch microseconds, the
 * literals Iceberg converts to its date and timestamp types when it binds the filter.
 */
@Internal
public final class IcebergPredicates {

    private IcebergPredicates() {}

    /** The conjunction of what can be translated; {@code alwaysTrue} if nothing. */
    public static Expression toExpression(List<LakePredicate> conjuncts) {
        Expression result = Expressions.alwaysTrue();
        for (LakePredicate conjunct : conjuncts) {
            Optional<Expression> translated = translate(conjunct, true);
            if (translated.isPresent()) {
                result = Expressions.and(result, translated.get());
            }
        }
        return result;
    }

    /**
     * @param mayWeaken whether dropping an untranslatable conjunct keeps the result a superset
     */
    static Optional<Expression> translate(LakePredicate predicate, boolean mayWeaken) {
        if (predicate instanceof LakePredicate.Comparison comparison) {
            return literal(comparison.literal()).map(value -> compare(comparison, value));
        }
        if (predicate instanceof LakePredicate.IsNull isNull) {
            return Optional.of(
                    isNull.negated()
                            ? Expressions.notNull(isNull.column())
                            : Expressions.isNull(isNull.column()));
        }
        if (predicate instanceof LakePredicate.And and) {
            Expression result = Expressions.alwaysTrue();
            for (LakePredicate child : and.children()) {
                Optional<Expression> translated = translate(child, mayWeaken);
                if (translated.isPresent()) {
                    result = Expressions.and(result, translated.get());
                } else if (!mayWeaken) {
                    return Optional.empty();
                }
            }
            return Optional.of(result);
        }
        if (predicate instanceof LakePredicate.Or or) {
            Expression result = Expressions.alwaysFalse();
            for (LakePredicate child : or.children()) {
                Optional<Expression> translated = translate(child, false);
                if (translated.isEmpty()) {
                    return Optional.empty();
                }
                result = Expressions.or(result, translated.get());
            }
            return Optional.of(result);
        }
        LakePredicate.Not not = (LakePredicate.Not) predicate;
        return translate(not.child(), false).map(Expressions::not);
    }

    private static Expression compare(LakePredicate.Comparison comparison, Object value) {
        String column = comparison.column();
        switch (comparison.operator()) {
            case EQUAL:
                return Expressions.equal(column, value);
            case NOT_EQUAL:
                return Expressions.notEqual(column, value);
            case LESS_THAN:
                return Expressions.lessThan(column, value);
            case LESS_THAN_OR_EQUAL:
                return Expressions.lessThanOrEqual(column, value);
            case GREATER_THAN:
                return Expressions.greaterThan(column, value);
            default:
                return Expressions.greaterThanOrEqual(column, value);
        }
    }

    private static Optional<Object> literal(Object value) {
        if (value instanceof LocalDate date) {
            return Optional.of((int) date.toEpochDay());
        }
        if (value instanceof LocalDateTime dateTime) {
            return Optional.of(micros(dateTime.toInstant(ZoneOffset.UTC)));
        }
        if (value instanceof Instant instant) {
            return Optional.of(micros(instant));
        }
        if (value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Float
                || value instanceof Double
                || value instanceof String
                || value instanceof java.math.BigDecimal) {
            return Optional.of(value);
        }
        return Optional.empty();
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** All translatable conjuncts, for readers that drop non-matching rows early. */
    static List<Expression> toRowFilters(List<LakePredicate> conjuncts) {
        List<Expression> filters = new ArrayList<>();
        for (LakePredicate conjunct : conjuncts) {
            translate(conjunct, true).ifPresent(filters::add);
        }
        return filters;
    }
}
