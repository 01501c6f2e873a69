package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@link Record}s a MaxCompute download delivers into Flink {@link RowData}.
 *
 * <p>The produced row may list data columns and partition columns of the table in any order; names
 * are matched case-insensitively. Data columns are taken from each record by position in the
 * record's own (projected) column list, partition columns from the {@link PartitionSpec} the
 * records were read from. Every name is resolved and every value converter built in the
 * constructor; {@link #convert} only indexes arrays. The partition values are parsed once per
 * partition, not per record, and shared by the rows of that partition (they are immutable).
 *
 * <p>Only serializable state is kept: the converters hold the SDK's {@code TypeInfo}s (which are
 * serializable), never the {@link TableSchema}.
 */
@Internal
public final class RecordToRowDataConverter implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int arity;

    /** For each data field: its position in the produced row and in the record. */
    private final int[] dataRowPositions;

    private final int[] dataRecordIndexes;
    private final String[] dataNames;
    private final OdpsToFlinkConverters.ValueConverter[] dataConverters;

    /** For each partition field: its position in the produced row and its MaxCompute name. */
    private final int[] partitionRowPositions;

    private final String[] partitionNames;
    private final PartitionValueConverters.Parser[] partitionParsers;

    private transient PartitionSpec lastPartition;
    private transient Object[] lastPartitionValues;

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
        this.arity = producedType.getFieldCount();
        Map<String, Column> dataColumns =
                OdpsSchemaValidator.byLowerCaseName(odpsSchema.getColumns());
        Map<String, Column> partitionColumns =
                OdpsSchemaValidator.byLowerCaseName(odpsSchema.getPartitionColumns());
        Map<String, Integer> recordIndexes = new HashMap<>();
        for (int i = 0; i < recordColumnNames.size(); i++) {
            recordIndexes.put(OdpsSchemaValidator.lowerCase(recordColumnNames.get(i)), i);
        }

        List<Integer> dataPositions = new ArrayList<>();
        List<Integer> dataIndexes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<OdpsToFlinkConverters.ValueConverter> converters = new ArrayList<>();
        List<Integer> partitionPositions = new ArrayList<>();
        List<String> partitionNameList = new ArrayList<>();
        List<PartitionValueConverters.Parser> parsers = new ArrayList<>();

        for (int pos = 0; pos < arity; pos++) {
            RowType.RowField field = producedType.getFields().get(pos);
            String key = OdpsSchemaValidator.lowerCase(field.getName());
            Column data = dataColumns.get(key);
            Column partition = partitionColumns.get(key);
            if (data != null) {
                Integer index = recordIndexes.get(key);
                if (index == null) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "Column '%s' is not among the columns the records hold: %s.",
                                    field.getName(), recordColumnNames));
                }
                dataPositions.add(pos);
                dataIndexes.add(index);
                names.add(data.getName());
                converters.add(OdpsToFlinkConverters.create(data.getTypeInfo(), field.getType()));
            } else if (partition != null) {
                partitionPositions.add(pos);
                partitionNameList.add(partition.getName());
                parsers.add(PartitionValueConverters.parser(field.getName(), field.getType()));
            } else {
                throw new ValidationException(
                        String.format(
                                "Column '%s' is neither a data nor a partition column of the"
                                        + " MaxCompute table.",
                                field.getName()));
            }
        }
        this.dataRowPositions = toIntArray(dataPositions);
        this.dataRecordIndexes = toIntArray(dataIndexes);
        this.dataNames = names.toArray(new String[0]);
        this.dataConverters = converters.toArray(new OdpsToFlinkConverters.ValueConverter[0]);
        this.partitionRowPositions = toIntArray(partitionPositions);
        this.partitionNames = partitionNameList.toArray(new String[0]);
        this.partitionParsers = parsers.toArray(new PartitionValueConverters.Parser[0]);
    }

    /**
     * Converts one record read from {@code partition} (which may be null or empty for a
     * non-partitioned table) into an INSERT row. A partition field whose key the spec lacks is
     * null. The spec is taken as immutable: the values parsed from it are kept until another spec
     * instance comes along.
     */
    public RowData convert(Record record, PartitionSpec partition) {
        GenericRowData row = new GenericRowData(arity);
        for (int i = 0; i < dataConverters.length; i++) {
            Object value = record.get(dataRecordIndexes[i]);
            if (value != null) {
                try {
                    row.setField(dataRowPositions[i], dataConverters[i].convert(value));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "Cannot convert the value of MaxCompute column '%s': %s",
                                    dataNames[i], e.getMessage()),
                            e);
                }
            }
        }
        if (partitionParsers.length > 0) {
            Object[] values = partitionValues(partition);
            for (int i = 0; i < values.length; i++) {
                row.setField(partitionRowPositions[i], values[i]);
            }
        }
        return row;
    }

    private Object[] partitionValues(PartitionSpec partition) {
        // Records arrive split by split, so the spec changes rarely: parse it once per change.
        if (partition != lastPartition || lastPartitionValues == null) {
            lastPartitionValues = parsePartition(partition);
            lastPartition = partition;
        }
        return lastPartitionValues;
    }

    private Object[] parsePartition(PartitionSpec partition) {
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
    static String valueOf(PartitionSpec partition, String name) {
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

    static int[] toIntArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
