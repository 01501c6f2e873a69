package org.flinkconnectors.lake.parquet;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

/** Where an output column's values come from: a top-level column of the file, or a constant. */
@Internal
public sealed interface ParquetColumn {

    /** The file's top-level column of that name. */
    static ParquetColumn fileColumn(String name) {
        return new FileColumn(name);
    }

    /**
     * The same value in every row (a partition value, a column's default, or null for a column the
     * file does not have), in Flink's internal representation.
     */
    static ParquetColumn constant(@Nullable Object internalValue) {
        return new Constant(internalValue);
    }

    /** A column read from the file. */
    record FileColumn(String name) implements ParquetColumn {}

    /** A value that is not in the file. */
    record Constant(@Nullable Object value) implements ParquetColumn {}
}
