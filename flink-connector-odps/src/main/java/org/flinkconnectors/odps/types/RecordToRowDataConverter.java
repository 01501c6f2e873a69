package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import java.io.Serializable;
import java.util.List;

/**
 * Turns the {@link Record}s a MaxCompute download delivers into Flink {@link RowData}.
 *
 * <p>The produced row may list data columns and partition columns of the table in any order, as
 * {@link ProducedRowLayout} resolves them: data columns are taken from each record by position in
 * the record's own (projected) column list, partition columns from the {@link PartitionSpec} the
 * records were read from. Every value converter is built in the constructor; {@link #convert} only
 * indexes arrays. The partition values are parsed once per partition, not per record, and shared by
 * the rows of that partition (they are immutable).
 *
 * <p>Only serializable state is kept: the converters hold the SDK's {@code TypeInfo}s (which are
 * serializable), never the {@link TableSchema}.
 */
@Internal
public final class RecordToRowDataConverter implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ProducedRowLayout layout;
    private final OdpsToFlinkConverters.ValueConverter[] dataConverters;

    /**
     * @param producedType the row to emit
     * @param odpsSchema the table's schema, data and partition columns
     * @param recordColumnNames the data columns each incoming record holds, in record order
     * @throws ValidationException if a produced field is not a column of the table or its type is
     *     not compatible; {@link IllegalArgumentException} if a produced data column is missing
     *     from {@code recordColumnNames}
     */
    public RecordToRowDataConverter(
            RowType producedType, TableSchema odpsSchema, List<String> recordColumnNames) {
        this.layout = new ProducedRowLayout(producedType, odpsSchema, recordColumnNames, "records");
        this.dataConverters = new OdpsToFlinkConverters.ValueConverter[layout.dataFieldCount()];
        for (int i = 0; i < dataConverters.length; i++) {
            dataConverters[i] =
                    OdpsToFlinkConverters.create(layout.dataOdpsType(i), layout.dataFlinkType(i));
        }
    }

    /**
     * Converts one record read from {@code partition} (which may be null or empty for a
     * non-partitioned table) into an INSERT row. A partition field whose key the spec lacks is
     * null. The spec is taken as immutable: the values parsed from it are kept until another spec
     * instance comes along.
     */
    public RowData convert(Record record, PartitionSpec partition) {
        GenericRowData row = new GenericRowData(layout.arity());
        for (int i = 0; i < dataConverters.length; i++) {
            Object value = record.get(layout.dataReadIndex(i));
            if (value != null) {
                try {
                    row.setField(layout.dataRowPosition(i), dataConverters[i].convert(value));
                } catch (RuntimeException e) {
                    throw layout.conversionFailure(i, e);
                }
            }
        }
        if (layout.partitionFieldCount() > 0) {
            Object[] values = layout.partitionValues(partition);
            for (int i = 0; i < values.length; i++) {
                row.setField(layout.partitionRowPosition(i), values[i]);
            }
        }
        return row;
    }
}
