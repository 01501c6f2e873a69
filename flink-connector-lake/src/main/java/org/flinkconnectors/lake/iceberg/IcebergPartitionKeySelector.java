package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.RowDataWrapper;

/**
 * Keys rows by their Iceberg partition, transforms applied (bucket, day, truncate, ...), as the
 * hash of the partition path, so that one writer subtask writes each partition. The path string
 * hashes alike in every JVM.
 */
@Internal
final class IcebergPartitionKeySelector implements KeySelector<RowData, Integer> {

    private static final long serialVersionUID = 1L;

    private final Schema schema;
    private final PartitionSpec spec;
    private final RowType rowType;

    private transient PartitionKey partitionKey;
    private transient RowDataWrapper wrapper;

    IcebergPartitionKeySelector(Schema schema, PartitionSpec spec, RowType rowType) {
        this.schema = schema;
        this.spec = spec;
        this.rowType = rowType;
    }

    @Override
    public Integer getKey(RowData row) {
        if (partitionKey == null) {
            partitionKey = new PartitionKey(spec, schema);
            wrapper = new RowDataWrapper(rowType, schema.asStruct());
        }
        partitionKey.partition(wrapper.wrap(row));
        return spec.partitionToPath(partitionKey).hashCode();
    }
}
