package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.columnar.ColumnarRowData;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.data.columnar.vector.VectorizedColumnBatch;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import org.apache.arrow.vector.VectorSchemaRoot;

import javax.annotation.Nullable;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the Arrow record batches of a MaxCompute download into Flink {@link RowData}, column by
 * column: each data column is copied into a Flink column vector ({@link ArrowToFlinkVectors}), each
 * partition column is one value for the whole batch, and the rows are {@link ColumnarRowData} views
 * of that batch. No per-row {@code Record} and no per-value boxing.
 *
 * <p>Fields are matched to columns as {@link RecordToRowDataConverter} matches them, and values
 * come out the same, so the two download formats give equal rows.
 */
@Internal
public final class ArrowBatchToRowData {

    /**
     * One vector per produced field: the current partition's values; data slots filled per batch.
     */
    private final ColumnVector[] template;

    /** For each produced data field: its position in the row and its vector in the batch. */
    private final int[] dataRowPositions;

    private final int[] dataBatchIndexes;
    private final ArrowToFlinkVectors.Copier[] copiers;

    /** For each produced partition field: its position in the row, name and parser. */
    private final int[] partitionRowPositions;

    private final String[] partitionNames;
    private final PartitionValueConverters.Parser[] partitionParsers;

    @Nullable private PartitionSpec lastPartition;
    private boolean partitionResolved;

    /**
     * @param producedType the row to emit
     * @param odpsSchema the table's schema, data and partition columns
     * @param batchColumnNames the data columns each batch holds, in batch order
     * @throws ValidationException if a produced field is not a column of the table, its type is not
     *     compatible, or Arrow downloads do not carry it
     */
    public ArrowBatchToRowData(
            RowType producedType, TableSchema odpsSchema, List<String> batchColumnNames) {
        int arity = producedType.getFieldCount();
        Map<String, Column> dataColumns =
                OdpsSchemaValidator.byLowerCaseName(odpsSchema.getColumns());
        Map<String, Column> partitionColumns =
                OdpsSchemaValidator.byLowerCaseName(odpsSchema.getPartitionColumns());
        Map<String, Integer> batchIndexes = new HashMap<>();
        for (int i = 0; i < batchColumnNames.size(); i++) {
            batchIndexes.put(OdpsSchemaValidator.lowerCase(batchColumnNames.get(i)), i);
        }
        int partitionCount = 0;
        for (RowType.RowField field : producedType.getFields()) {
            if (!dataColumns.containsKey(OdpsSchemaValidator.lowerCase(field.getName()))) {
                partitionCount++;
            }
        }
        this.template = new ColumnVector[arity];
        this.dataRowPositions = new int[arity - partitionCount];
        this.dataBatchIndexes = new int[arity - partitionCount];
        this.copiers = new ArrowToFlinkVectors.Copier[arity - partitionCount];
        this.partitionRowPositions = new int[partitionCount];
        this.partitionNames = new String[partitionCount];
        this.partitionParsers = new PartitionValueConverters.Parser[partitionCount];
        int data = 0;
        int partition = 0;
        for (int pos = 0; pos < arity; pos++) {
            RowType.RowField field = producedType.getFields().get(pos);
            String key = OdpsSchemaValidator.lowerCase(field.getName());
            Column dataColumn = dataColumns.get(key);
            Column partitionColumn = partitionColumns.get(key);
            if (dataColumn != null) {
                Integer index = batchIndexes.get(key);
                if (index == null) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "Column '%s' is not among the columns the batches hold: %s.",
                                    field.getName(), batchColumnNames));
                }
                dataRowPositions[data] = pos;
                dataBatchIndexes[data] = index;
                copiers[data] =
                        ArrowToFlinkVectors.create(
                                dataColumn.getName(), dataColumn.getTypeInfo(), field.getType());
                data++;
            } else if (partitionColumn != null) {
                partitionRowPositions[partition] = pos;
                partitionNames[partition] = partitionColumn.getName();
                partitionParsers[partition] =
                        PartitionValueConverters.parser(field.getName(), field.getType());
                partition++;
            } else {
                throw new ValidationException(
                        String.format(
                                "Column '%s' is neither a data nor a partition column of the"
                                        + " MaxCompute table.",
                                field.getName()));
            }
        }
    }

    /**
     * The rows of {@code batch}, read from {@code partition} (null or empty for a non-partitioned
     * table). They hold copies: {@code batch} may be released as soon as this returns.
     */
    public List<RowData> convert(VectorSchemaRoot batch, @Nullable PartitionSpec partition) {
        if (!partitionResolved || partition != lastPartition) {
            // Batches arrive split by split, so the partition changes rarely.
            resolvePartition(partition);
        }
        int rows = batch.getRowCount();
        ColumnVector[] columns = template.clone();
        for (int i = 0; i < copiers.length; i++) {
            columns[dataRowPositions[i]] =
                    copiers[i].copy(batch.getVector(dataBatchIndexes[i]), rows);
        }
        VectorizedColumnBatch columnBatch = new VectorizedColumnBatch(columns);
        columnBatch.setNumRows(rows);
        return new AbstractList<>() {
            @Override
            public RowData get(int index) {
                return new ColumnarRowData(columnBatch, index);
            }

            @Override
            public int size() {
                return rows;
            }
        };
    }

    private void resolvePartition(@Nullable PartitionSpec partition) {
        for (int i = 0; i < partitionParsers.length; i++) {
            String text =
                    partition == null
                            ? null
                            : RecordToRowDataConverter.valueOf(partition, partitionNames[i]);
            Object value = null;
            if (text != null) {
                try {
                    value = partitionParsers[i].parse(text);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "Cannot convert value '%s' of partition column '%s' in"
                                            + " partition %s: %s",
                                    text, partitionNames[i], partition, e.getMessage()),
                            e);
                }
            }
            template[partitionRowPositions[i]] = new PartitionValueVector(value);
        }
        lastPartition = partition;
        partitionResolved = true;
    }
}
