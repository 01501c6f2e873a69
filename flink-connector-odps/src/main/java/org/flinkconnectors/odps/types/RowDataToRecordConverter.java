package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Flink {@link RowData} into MaxCompute {@link Record}s and derives the partition each row
 * belongs to.
 *
 * <p>The consumed row may list data columns and partition columns of the table in any order; names
 * are matched case-insensitively. Data fields go into a record whose columns are the table's data
 * columns in table order (what an upload session's {@code newRecord()} returns); partition fields
 * make up the row's {@link PartitionSpec}. Every name is resolved and every value converter built
 * in the constructor; {@link #fill} and {@link #partitionOf} only index arrays.
 */
@Internal
public final class RowDataToRecordConverter implements Serializable {

    private static final long serialVersionUID = 1L;

    /** For each data field: where it is in the row, where it goes in the record, how. */
    private final int[] dataRowPositions;

    private final int[] dataRecordIndexes;
    private final RowData.FieldGetter[] dataGetters;
    private final FlinkToOdpsConverters.ValueConverter[] dataConverters;
    private final String[] dataDescriptions;

    /** Data columns of the table the row does not carry; set to null so records can be reused. */
    private final int[] absentRecordIndexes;

    /** Partition fields in the table's partition-key order. */
    private final int[] partitionRowPositions;

    private final String[] partitionNames;
    private final RowData.FieldGetter[] partitionGetters;

    /**
     * @param consumedType the rows the sink receives
     * @param odpsSchema the table's schema, data and partition columns
     * @throws ValidationException if a consumed field is not a column of the table or its type is
     *     not compatible
     */
    public RowDataToRecordConverter(RowType consumedType, TableSchema odpsSchema) {
        List<Column> dataColumns = odpsSchema.getColumns();
        List<Column> partitionColumns = odpsSchema.getPartitionColumns();
        Map<String, Integer> dataIndex = indexByLowerCaseName(dataColumns);
        Map<String, Integer> partitionIndex = indexByLowerCaseName(partitionColumns);

        List<Integer> positions = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        boolean[] present = new boolean[dataColumns.size()];
        int[] partitionPositionByKey = new int[partitionColumns.size()];
        Arrays.fill(partitionPositionByKey, -1);

        for (int pos = 0; pos < consumedType.getFieldCount(); pos++) {
            RowType.RowField field = consumedType.getFields().get(pos);
            String key = OdpsSchemaValidator.lowerCase(field.getName());
            Integer data = dataIndex.get(key);
            Integer partition = partitionIndex.get(key);
            if (data != null) {
                positions.add(pos);
                indexes.add(data);
                present[data] = true;
            } else if (partition != null) {
                // Fails early for a type that cannot be rendered as a partition value.
                PartitionValueConverters.parser(field.getName(), field.getType());
                partitionPositionByKey[partition] = pos;
            } else {
                throw OdpsSchemaValidator.notAColumn(field.getName());
            }
        }

        int dataCount = positions.size();
        this.dataRowPositions = toIntArray(positions);
        this.dataRecordIndexes = toIntArray(indexes);
        this.dataGetters = new RowData.FieldGetter[dataCount];
        this.dataConverters = new FlinkToOdpsConverters.ValueConverter[dataCount];
        this.dataDescriptions = new String[dataCount];
        for (int i = 0; i < dataCount; i++) {
            Column column = dataColumns.get(dataRecordIndexes[i]);
            RowType.RowField field = consumedType.getFields().get(dataRowPositions[i]);
            dataGetters[i] = RowData.createFieldGetter(field.getType(), dataRowPositions[i]);
            dataConverters[i] = FlinkToOdpsConverters.create(field.getType(), column.getTypeInfo());
            dataDescriptions[i] =
                    column.getName() + " " + OdpsTypeConversions.describe(column.getTypeInfo());
        }

        List<Integer> absent = new ArrayList<>();
        for (int i = 0; i < present.length; i++) {
            if (!present[i]) {
                absent.add(i);
            }
        }
        this.absentRecordIndexes = toIntArray(absent);

        List<Integer> partitionPositions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < partitionPositionByKey.length; k++) {
            if (partitionPositionByKey[k] >= 0) {
                partitionPositions.add(partitionPositionByKey[k]);
                names.add(partitionColumns.get(k).getName());
            }
        }
        this.partitionRowPositions = toIntArray(partitionPositions);
        this.partitionNames = names.toArray(new String[0]);
        this.partitionGetters = new RowData.FieldGetter[partitionRowPositions.length];
        for (int i = 0; i < partitionGetters.length; i++) {
            int pos = partitionRowPositions[i];
            partitionGetters[i] = RowData.createFieldGetter(consumedType.getTypeAt(pos), pos);
        }
    }

    /**
     * Writes the row's data fields into {@code target}. Data columns the row does not carry, and
     * null fields, are set to null, so a record may be reused for the next row.
     *
     * @throws IllegalArgumentException naming the column if the SDK rejects a value (a string
     *     longer than a CHAR/VARCHAR column, a decimal that overflows the column, a DATETIME out of
     *     range...)
     */
    public void fill(RowData row, Record target) {
        for (int i = 0; i < dataGetters.length; i++) {
            Object value = dataGetters[i].getFieldOrNull(row);
            try {
                target.set(
                        dataRecordIndexes[i],
                        value == null ? null : dataConverters[i].convert(value));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        String.format(
                                "Cannot write the value of column '%s': %s",
                                dataDescriptions[i], e.getMessage()),
                        e);
            }
        }
        for (int index : absentRecordIndexes) {
            target.set(index, null);
        }
    }

    /**
     * The partition the row belongs to, built from its partition fields in the table's
     * partition-key order. Partition keys the row does not carry are left out; the caller adds them
     * (from a static partition, say). Empty if the row carries no partition column.
     *
     * @throws IllegalArgumentException naming the column if a partition value is null or empty
     */
    public PartitionSpec partitionOf(RowData row) {
        PartitionSpec spec = new PartitionSpec();
        for (int i = 0; i < partitionGetters.length; i++) {
            Object value = partitionGetters[i].getFieldOrNull(row);
            String text = value == null ? null : PartitionValueConverters.render(value);
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException(
                        String.format(
                                "Partition column '%s' is %s in a row; MaxCompute needs a"
                                        + " non-empty value for every partition column.",
                                partitionNames[i], text == null ? "null" : "empty"));
            }
            spec.set(partitionNames[i], text);
        }
        return spec;
    }

    /** Whether the consumed row carries at least one partition column of the table. */
    public boolean hasPartitionColumns() {
        return partitionRowPositions.length > 0;
    }

    /** Positions in the consumed row of its partition fields, in the table's partition order. */
    public int[] partitionFieldIndexes() {
        return partitionRowPositions.clone();
    }

    private static int[] toIntArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, Integer> indexByLowerCaseName(List<Column> columns) {
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            byName.put(OdpsSchemaValidator.lowerCase(columns.get(i).getName()), i);
        }
        return byName;
    }
}
