package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.source.ArrowBatchDeserializer;
import org.flinkconnectors.odps.types.ArrowBatchToRowData;
import org.flinkconnectors.odps.types.RecordToRowDataConverter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns tunnel records or Arrow batches (projected data columns) plus their partition into Flink
 * SQL rows.
 */
@Internal
final class RowDataRecordDeserializer implements ArrowBatchDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowType producedType;
    private final TypeInformation<RowData> typeInfo;
    private transient RecordToRowDataConverter converter;
    private transient TableSchema tableSchema;
    private transient List<String> readColumns;
    private transient ArrowBatchToRowData batchConverter;
    // The converter caches parsed partition values per PartitionSpec instance: keep one per spec.
    private transient Map<String, PartitionSpec> specs;

    RowDataRecordDeserializer(RowType producedType, TypeInformation<RowData> typeInfo) {
        this.producedType = producedType;
        this.typeInfo = typeInfo;
    }

    @Override
    public void open(TableSchema tableSchema, List<String> readColumns) {
        converter = new RecordToRowDataConverter(producedType, tableSchema, readColumns);
        specs = new HashMap<>();
        this.tableSchema = tableSchema;
        this.readColumns = readColumns;
    }

    @Override
    public RowData deserialize(Record record, String partitionSpec) {
        return converter.convert(record, spec(partitionSpec));
    }

    @Override
    public List<RowData> deserializeBatch(VectorSchemaRoot batch, String partitionSpec) {
        if (batchConverter == null) {
            // Only Arrow reads need it, and it refuses columns Arrow reads do not carry.
            batchConverter = new ArrowBatchToRowData(producedType, tableSchema, readColumns);
        }
        return batchConverter.convert(batch, spec(partitionSpec));
    }

    private PartitionSpec spec(String partitionSpec) {
        return partitionSpec.isEmpty()
                ? null
                : specs.computeIfAbsent(partitionSpec, PartitionSpec::new);
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return typeInfo;
    }
}
