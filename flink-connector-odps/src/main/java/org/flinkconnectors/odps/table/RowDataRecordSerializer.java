package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.sink.OdpsChangeKind;
import org.flinkconnectors.odps.sink.OdpsRecordSerializationSchema;
import org.flinkconnectors.odps.types.RowDataToRecordConverter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import javax.annotation.Nullable;

/**
 * Writes Flink SQL rows into MaxCompute records. The partition comes from the static partition when
 * there is one, otherwise from the row's partition columns (dynamic partitioning).
 */
@Internal
final class RowDataRecordSerializer implements OdpsRecordSerializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowType consumedType;
    @Nullable private final String staticPartition;
    private transient RowDataToRecordConverter converter;

    RowDataRecordSerializer(RowType consumedType, @Nullable String staticPartition) {
        this.consumedType = consumedType;
        this.staticPartition = staticPartition;
    }

    @Override
    public void open(TableSchema tableSchema) {
        converter = new RowDataToRecordConverter(consumedType, tableSchema);
    }

    @Override
    public void serialize(RowData element, Record target) {
        converter.fill(element, target);
    }

    /** Only upsert sinks ask; UPDATE_BEFORE is skipped, the UPDATE_AFTER replaces the row. */
    @Override
    public OdpsChangeKind changeKindOf(RowData element) {
        return OdpsChangeKind.of(element.getRowKind());
    }

    @Nullable
    @Override
    public String partitionOf(RowData element) {
        if (staticPartition != null || !converter.hasPartitionColumns()) {
            return null;
        }
        PartitionSpec spec = converter.partitionOf(element);
        return spec.toString(false, false);
    }
}
