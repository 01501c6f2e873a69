package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.source.OdpsRecordDeserializer;
import org.flinkconnectors.odps.types.RecordToRowDataConverter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns tunnel records (projected data columns) plus their partition into Flink SQL rows. */
@Internal
final class RowDataRecordDeserializer implements OdpsRecordDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowType producedType;
    private final TypeInformation<RowData> typeInfo;
    private transient RecordToRowDataConverter converter;
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
    }

    @Override
    public RowData deserialize(Record record, String partitionSpec) {
        PartitionSpec spec =
                partitionSpec.isEmpty()
                        ? null
                        : specs.computeIfAbsent(partitionSpec, PartitionSpec::new);
        return converter.convert(record, spec);
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return typeInfo;
    }
}
