package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeTable;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.List;

/**
 * The columns a job reads, fixed when its source was built: their names and types, and what data
 * files store them under ({@link LakeTable#columnIds}). A streaming read checks each later version
 * against it ({@link LakeStreamSchemaCheck}).
 *
 * @param type the columns read, in the order read
 * @param columnIds the identity of each column, in the same order
 */
@Internal
public record LakeReadSchema(RowType type, List<String> columnIds) implements Serializable {

    public LakeReadSchema {
        columnIds = List.copyOf(columnIds);
        if (type.getFieldCount() != columnIds.size()) {
            throw new IllegalArgumentException(
                    "One identity per column: " + type + " but " + columnIds);
        }
    }
}
