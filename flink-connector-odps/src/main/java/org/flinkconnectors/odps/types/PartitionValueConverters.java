package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;

import java.io.Serializable;

/**
 * Converts MaxCompute partition values, which are always text in a {@code PartitionSpec}, to and
 * from the Flink type a partition column is declared with: any character string type, or TINYINT,
 * SMALLINT, INT or BIGINT for MaxCompute's integer partition columns. Integers are written as plain
 * decimal text, the form MaxCompute itself uses.
 */
@Internal
public final class PartitionValueConverters {

    /** Parses one partition value; never sees null. */
    @FunctionalInterface
    public interface Parser extends Serializable {
        Object parse(String value);
    }

    private PartitionValueConverters() {}

    /**
     * A parser producing the internal representation of {@code flinkType}.
     *
     * @throws ValidationException if a partition column cannot be declared with that type
     */
    public static Parser parser(String column, LogicalType flinkType) {
        switch (flinkType.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return StringData::fromString;
            case TINYINT:
                return Byte::valueOf;
            case SMALLINT:
                return Short::valueOf;
            case INTEGER:
                return Integer::valueOf;
            case BIGINT:
                return Long::valueOf;
            default:
                throw new ValidationException(
                        String.format(
                                "Partition column '%s' is %s in Flink; a MaxCompute partition column"
                                        + " can be read as STRING, VARCHAR, CHAR, TINYINT,"
                                        + " SMALLINT, INT or BIGINT.",
                                column, flinkType.asSummaryString()));
        }
    }

    /**
     * Renders a non-null internal value of a partition column of a type {@link #parser} accepts:
     * {@code StringData}, {@code Byte}, {@code Short}, {@code Integer} and {@code Long} all print
     * themselves as the text MaxCompute expects.
     */
    public static String render(Object value) {
        return value.toString();
    }
}
