package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.types.logical.RowType;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table as a lake catalog shows it.
 *
 * @param options the connector options that name the table (location and catalog, never secrets)
 *     and its table properties; the catalog adds {@code connector} and {@code table-format}
 */
@PublicEvolving
public record LakeTableDescription(
        RowType rowType,
        List<String> primaryKey,
        List<String> partitionKeys,
        String comment,
        Map<String, String> options) {

    public LakeTableDescription {
        Objects.requireNonNull(rowType, "rowType");
        Objects.requireNonNull(comment, "comment");
        primaryKey = List.copyOf(primaryKey);
        partitionKeys = List.copyOf(partitionKeys);
        options = Map.copyOf(options);
    }
}
