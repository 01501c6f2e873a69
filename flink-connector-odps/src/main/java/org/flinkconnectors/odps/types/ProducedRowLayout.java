package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.type.TypeInfo;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each field of a row produced from a MaxCompute download comes from: a data column, taken by
 * its index among the columns the download holds (a record's values, an Arrow batch's vectors), or
 * a partition column, parsed from the partition the rows were read from. Records ({@link
 * RecordToRowDataConverter}) and Arrow batches ({@link ArrowBatchToRowData}) resolve the produced
 * row here, so both match names alike (case-insensitively), parse partition values alike and fail
 * with the same messages.
 *
 * <p>Every name is resolved in the constructor. Partition values are parsed once per partition, not
 * per row: {@link #partitionValues} keeps them until another spec instance comes along. Only
 * serializable state is kept (names, the SDK's {@code TypeInfo}s, Flink's {@code LogicalType}s),
 * never the {@link TableSchema}.
 */
@Internal
final class ProducedRowLayout implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int arity;

    /** For each data field: its position in the row, its index in the download, its column. */
    private final int[] dataRowPositions;

    private final int[] dataReadIndexes;
    private final String[] dataNames;
    private final TypeInfo[] dataOdpsTypes;
    private final LogicalType[] dataFlinkTypes;

    /** For each partition field: its position in the row, its MaxCompute name, its parser. */
    private final int[] partitionRowPositions;

    private final String[] partitionNames;
    private final PartitionValueConverters.Parser[] partitionParsers;

    @Nullable private transient PartitionSpec lastPartition;
    @Nullable private transient Object[] lastPartitionValues;

    /**
     * @param producedType the row to emit
     * @param odpsSchema the table's schema, data and partition columns
     * @param readColumns the data columns the download holds, in its order
     * @param holders what holds the read columns, for messages: "records", "batches"
     * @throws ValidationException if a produced field is not a column of the table, or a partition
     *     field's type cannot hold partition values; {@link IllegalArgumentException} if a produced
     *     data column is missing from {@code readColumns}
     */
    ProducedRowLayout(
            RowType producedType,
            TableSchema odpsSchema,
            List<String> readColumns,
            String holders) {
        this.arity = producedType.getFieldCount();
        Map<String, Column> dataColumns =
                OdpsSchemaValidator.byLowerCaseName(odpsSchema.getColumns());
        Map<String, Column> partitionColumns =
                OdpsSchemaValidator.byLowerCaseName(odpsSchema.getPartitionColumns());
        Map<String, Integer> readIndexes = new HashMap<>();
        for (int i = 0; i < readColumns.size(); i++) {
            readIndexes.put(OdpsSchemaValidator.lowerCase(readColumns.get(i)), i);
        }
        int dataCount = 0;
        for (RowType.RowField field : producedType.getFields()) {
            if (dataColumns.containsKey(OdpsSchemaValidator.lowerCase(field.getName()))) {
                dataCount++;
            }
        }
        this.dataRowPositions = new int[dataCount];
        this.dataReadIndexes = new int[dataCount];
        this.dataNames = new String[dataCount];
        this.dataOdpsTypes = new TypeInfo[dataCount];
        this.dataFlinkTypes = new LogicalType[dataCount];
        this.partitionRowPositions = new int[arity - dataCount];
        this.partitionNames = new String[arity - dataCount];
        this.partitionParsers = new PartitionValueConverters.Parser[arity - dataCount];
        int data = 0;
        int partition = 0;
        for (int pos = 0; pos < arity; pos++) {
            RowType.RowField field = producedType.getFields().get(pos);
            String key = OdpsSchemaValidator.lowerCase(field.getName());
            Column dataColumn = dataColumns.get(key);
            Column partitionColumn = partitionColumns.get(key);
            if (dataColumn != null) {
                Integer index = readIndexes.get(key);
                if (index == null) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "Column '%s' is not among the columns the %s hold: %s.",
                                    field.getName(), holders, readColumns));
                }
                dataRowPositions[data] = pos;
                dataReadIndexes[data] = index;
                dataNames[data] = dataColumn.getName();
                dataOdpsTypes[data] = dataColumn.getTypeInfo();
                dataFlinkTypes[data] = field.getType();
                data++;
            } else if (partitionColumn != null) {
                partitionRowPositions[partition] = pos;
                partitionNames[partition] = partitionColumn.getName();
                partitionParsers[partition] =
                        PartitionValueConverters.parser(field.getName(), field.getType());
                partition++;
            } else {
                throw OdpsSchemaValidator.notAColumn(field.getName());
            }
        }
    }

    int arity() {
        return arity;
    }

    int dataFieldCount() {
        return dataRowPositions.length;
    }

    int dataRowPosition(int field) {
        return dataRowPositions[field];
    }

    int dataReadIndex(int field) {
        return dataReadIndexes[field];
    }

    /** The MaxCompute name of a data field's column. */
    String dataName(int field) {
        return dataNames[field];
    }

    /** For a value of a data field that could not be converted. */
    IllegalArgumentException conversionFailure(int field, RuntimeException cause) {
        return new IllegalArgumentException(
                String.format(
                        "Cannot convert the value of MaxCompute column '%s': %s",
                        dataNames[field], cause.getMessage()),
                cause);
    }

    TypeInfo dataOdpsType(int field) {
        return dataOdpsTypes[field];
    }

    LogicalType dataFlinkType(int field) {
        return dataFlinkTypes[field];
    }

    int partitionFieldCount() {
        return partitionRowPositions.length;
    }

    int partitionRowPosition(int field) {
        return partitionRowPositions[field];
    }

    /**
     * The internal values of the partition fields for rows read from {@code partition} (null or
     * empty for a non-partitioned table); a field whose key the spec lacks is null. The spec is
     * taken as immutable: the same array comes back until another spec instance is passed.
     *
     * @throws IllegalArgumentException naming the column and the partition if a value does not
     *     parse as the field's type
     */
    Object[] partitionValues(@Nullable PartitionSpec partition) {
        // Rows arrive split by split, so the spec changes rarely: parse it once per change.
        if (partition != lastPartition || lastPartitionValues == null) {
            lastPartitionValues = parse(partition);
            lastPartition = partition;
        }
        return lastPartitionValues;
    }

    private Object[] parse(@Nullable PartitionSpec partition) {
        Object[] values = new Object[partitionParsers.length];
        for (int i = 0; i < values.length; i++) {
            String text = partition == null ? null : valueOf(partition, partitionNames[i]);
            if (text != null) {
                try {
                    values[i] = partitionParsers[i].parse(text);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "Cannot convert value '%s' of partition column '%s' in"
                                            + " partition %s: %s",
                                    text, partitionNames[i], partition, e.getMessage()),
                            e);
                }
            }
        }
        return values;
    }

    /** PartitionSpec keys keep the case they were written with; MaxCompute's do not matter. */
    private static String valueOf(PartitionSpec partition, String name) {
        String exact = partition.get(name);
        if (exact != null) {
            return exact;
        }
        for (String key : partition.keys()) {
            if (key.equalsIgnoreCase(name)) {
                return partition.get(key);
            }
        }
        return null;
    }
}
