package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakePredicate;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.expressions.AlwaysFalse;
import io.delta.kernel.expressions.AlwaysTrue;
import io.delta.kernel.expressions.And;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Or;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Translates {@link LakePredicate}s into Kernel predicates, which Kernel uses to prune partitions
 * and to skip files by their column statistics.
 *
 * <p>Kernel compares values of equal types only, so each literal is converted to the type of its
 * column in the table's schema (an {@code Integer} literal against a {@code long} column becomes a
 * long literal). What cannot be converted (an unknown column, a nested one, a literal of another
 * kind) is left out of a conjunction, since a weaker filter only prunes less; under a negation or
 * in a disjunction the whole predicate is given up.
 */
@Internal
final class DeltaPredicates {

    private DeltaPredicates() {}

    /** The conjunction of what can be translated; empty if nothing. */
    static Optional<Predicate> toPredicate(List<LakePredicate> conjuncts, StructType schema) {
        Predicate result = null;
        for (LakePredicate conjunct : conjuncts) {
            Optional<Predicate> translated = translate(conjunct, schema, true);
            if (translated.isPresent()) {
                result = result == null ? translated.get() : new And(result, translated.get());
            }
        }
        return Optional.ofNullable(result);
    }

    /**
     * @param mayWeaken whether dropping an untranslatable conjunct keeps the result a superset
     */
    static Optional<Predicate> translate(
            LakePredicate predicate, StructType schema, boolean mayWeaken) {
        if (predicate instanceof LakePredicate.Comparison comparison) {
            int index = schema.indexOf(comparison.column());
            if (index < 0) {
                return Optional.empty();
            }
            return literal(comparison.literal(), schema.at(index).getDataType())
                    .map(value -> compare(comparison, value));
        }
        if (predicate instanceof LakePredicate.IsNull isNull) {
            if (schema.indexOf(isNull.column()) < 0) {
                return Optional.empty();
            }
            return Optional.of(
                    new Predicate(
                            isNull.negated() ? "IS_NOT_NULL" : "IS_NULL",
                            new Column(isNull.column())));
        }
        if (predicate instanceof LakePredicate.And and) {
            Predicate result = null;
            for (LakePredicate child : and.children()) {
                Optional<Predicate> translated = translate(child, schema, mayWeaken);
                if (translated.isPresent()) {
                    result = result == null ? translated.get() : new And(result, translated.get());
                } else if (!mayWeaken) {
                    return Optional.empty();
                }
            }
            return Optional.of(result == null ? AlwaysTrue.ALWAYS_TRUE : result);
        }
        if (predicate instanceof LakePredicate.Or or) {
            Predicate result = null;
            for (LakePredicate child : or.children()) {
                Optional<Predicate> translated = translate(child, schema, false);
                if (translated.isEmpty()) {
                    return Optional.empty();
                }
                result = result == null ? translated.get() : new Or(result, translated.get());
            }
            return Optional.of(result == null ? AlwaysFalse.ALWAYS_FALSE : result);
        }
        LakePredicate.Not not = (LakePredicate.Not) predicate;
        return translate(not.child(), schema, false).map(child -> new Predicate("NOT", child));
    }

    private static Predicate compare(LakePredicate.Comparison comparison, Literal value) {
        Column column = new Column(comparison.column());
        switch (comparison.operator()) {
            case EQUAL:
                return new Predicate("=", column, value);
            case NOT_EQUAL:
                return new Predicate("NOT", new Predicate("=", column, value));
            case LESS_THAN:
                return new Predicate("<", column, value);
            case LESS_THAN_OR_EQUAL:
                return new Predicate("<=", column, value);
            case GREATER_THAN:
                return new Predicate(">", column, value);
            default:
                return new Predicate(">=", column, value);
        }
    }

    /** The value as a literal of the column's type, if it converts without loss. */
    static Optional<Literal> literal(Object value, DataType type) {
        if (type instanceof BooleanType && value instanceof Boolean b) {
            return Optional.of(Literal.ofBoolean(b));
        }
        if (type instanceof StringType && value instanceof String s) {
            return Optional.of(Literal.ofString(s));
        }
        if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            if (type instanceof LongType) {
                return Optional.of(Literal.ofLong(number));
            } else if (type instanceof IntegerType && number == (int) number) {
                return Optional.of(Literal.ofInt((int) number));
            } else if (type instanceof ShortType && number == (short) number) {
                return Optional.of(Literal.ofShort((short) number));
            } else if (type instanceof ByteType && number == (byte) number) {
                return Optional.of(Literal.ofByte((byte) number));
            }
            return Optional.empty();
        }
        if (type instanceof FloatType && value instanceof Float f) {
            return Optional.of(Literal.ofFloat(f));
        }
        if (type instanceof DoubleType && (value instanceof Double || value instanceof Float)) {
            return Optional.of(Literal.ofDouble(((Number) value).doubleValue()));
        }
        if (type instanceof DecimalType decimal && value instanceof BigDecimal number) {
            try {
                BigDecimal scaled = number.setScale(decimal.getScale());
                return scaled.precision() <= decimal.getPrecision()
                        ? Optional.of(
                                Literal.ofDecimal(
                                        scaled, decimal.getPrecision(), decimal.getScale()))
                        : Optional.empty();
            } catch (ArithmeticException roundingNeeded) {
                return Optional.empty();
            }
        }
        if (type instanceof DateType && value instanceof LocalDate date) {
            return Optional.of(Literal.ofDate((int) date.toEpochDay()));
        }
        if (type instanceof TimestampType && value instanceof Instant instant) {
            return Optional.of(Literal.ofTimestamp(micros(instant)));
        }
        if (type instanceof TimestampNTZType && value instanceof LocalDateTime dateTime) {
            return Optional.of(Literal.ofTimestampNtz(micros(dateTime.toInstant(ZoneOffset.UTC))));
        }
        return Optional.empty();
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
