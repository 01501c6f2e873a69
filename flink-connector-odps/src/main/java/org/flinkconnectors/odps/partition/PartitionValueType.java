package org.flinkconnectors.odps.partition;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.util.Preconditions;

import javax.annotation.Nullable;

import java.util.Optional;

/**
 * How the values of a partition column parse and compare: MaxCompute partition columns are strings
 * or integers. Strings compare by code point (lexicographically), integers numerically. A literal
 * of a {@link #STRING} column is a {@link String}, of the others a {@link Long}.
 */
@PublicEvolving
public enum PartitionValueType {
    STRING(0, 0),
    TINYINT(Byte.MIN_VALUE, Byte.MAX_VALUE),
    SMALLINT(Short.MIN_VALUE, Short.MAX_VALUE),
    INT(Integer.MIN_VALUE, Integer.MAX_VALUE),
    BIGINT(Long.MIN_VALUE, Long.MAX_VALUE);

    private final long min;
    private final long max;

    PartitionValueType(long min, long max) {
        this.min = min;
        this.max = max;
    }

    /** The value type of a Flink column type, if partitions can be pruned on it. */
    public static Optional<PartitionValueType> of(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return Optional.of(STRING);
            case TINYINT:
                return Optional.of(TINYINT);
            case SMALLINT:
                return Optional.of(SMALLINT);
            case INTEGER:
                return Optional.of(INT);
            case BIGINT:
                return Optional.of(BIGINT);
            default:
                return Optional.empty();
        }
    }

    public boolean isInteger() {
        return this != STRING;
    }

    /** Whether every value of the integer type {@code other} is one of this integer type. */
    boolean includes(PartitionValueType other) {
        return isInteger() && other.isInteger() && min <= other.min && max >= other.max;
    }

    /** Whether {@code value} is within this integer type's range. */
    boolean inRange(long value) {
        return value >= min && value <= max;
    }

    /** A partition value as this type, or null if it is not one. */
    @Nullable
    Object parse(String raw) {
        if (this == STRING) {
            return raw;
        }
        try {
            long value = Long.parseLong(raw);
            return inRange(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Checks and normalizes a literal: a String for STRING, a Long for integer types. */
    Object literal(Object value) {
        if (this == STRING) {
            Preconditions.checkArgument(
                    value instanceof String, "A STRING partition literal must be a String");
            return value;
        }
        Preconditions.checkArgument(
                value instanceof Long
                        || value instanceof Integer
                        || value instanceof Short
                        || value instanceof Byte,
                "An integer partition literal must be a Long, Integer, Short or Byte");
        return ((Number) value).longValue();
    }

    int compare(Object a, Object b) {
        return this == STRING
                ? PartitionValues.compareStrings((String) a, (String) b)
                : Long.compare((Long) a, (Long) b);
    }

    String format(@Nullable Object literal) {
        if (literal == null) {
            return "NULL";
        }
        return this == STRING ? "'" + ((String) literal).replace("'", "''") + "'" : "" + literal;
    }
}
