package org.flinkconnectors.lake.source;

import org.flinkconnectors.lake.core.LakeSplit;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * Where a row came from, appended to the rows a {@link LakeSource} emits when asked for ({@link
 * LakeSourceBuilder#metadataColumns}). The values are those of the row's split, so they cost
 * nothing per row.
 */
@PublicEvolving
public enum LakeMetadataColumn {

    /** The location of the data file the row was read from, as the table's metadata records it. */
    FILE_PATH(new VarCharType(false, VarCharType.MAX_LENGTH)),

    /**
     * The table version (Iceberg snapshot id, Delta version) the row's file was planned from: for a
     * bounded read the version read, for a streaming read the commit that added the file (the
     * version a streaming read starts with in full, for the files it had then).
     */
    VERSION(new BigIntType(false));

    private final LogicalType type;

    LakeMetadataColumn(LogicalType type) {
        this.type = type;
    }

    /** The column's type; never null. */
    public LogicalType type() {
        return type;
    }

    /** The column's value for every row of the split, in Flink's internal data format. */
    public Object valueOf(LakeSplit split) {
        return this == FILE_PATH ? StringData.fromString(split.path()) : split.version();
    }
}
