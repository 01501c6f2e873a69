package org.flinkconnectors.odps.types;

import org.flinkconnectors.base.table.vector.ConstantColumnVector;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.columnar.ColumnarRowData;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.data.columnar.vector.VectorizedColumnBatch;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import org.apache.arrow.vector.VectorSchemaRoot;

import javax.annotation.Nullable;

import java.util.AbstractList;
import java.util.List;

/**
 * Turns the Arrow record batches of a MaxCompute download into Flink {@link RowData}, column by
 * column: each data column is copied into a Flink column vector ({@link ArrowToFlinkVectors}), each
 * partition column is one value for the whole batch, and the rows are {@link ColumnarRowData} views
 * of that batch. No per-row {@code Record} and no per-value boxing.
 *
 * <p>Fields are matched to columns by the {@link ProducedRowLayout} that {@link
 * RecordToRowDataConverter} uses too, and values come out the same, so the two download formats
 * give equal rows.
 */
@Internal
public final class ArrowBatchToRowData {

    private final ProducedRowLayout layout;
    private final ArrowToFlinkVectors.Copier[] copiers;

    /**
     * One vector per produced field: the current partition's values; data slots filled per batch.
     */
    private final ColumnVector[] template;

    /** The partition values the template holds, as the layout gave them. */
    @Nullable private Object[] templateValues;

    /**
     * @param producedType the row to emit
     * @param odpsSchema the table's schema, data and partition columns
     * @param batchColumnNames the data columns each batch holds, in batch order
     * @throws ValidationException if a produced field is not a column of the table, its type is not
     *     compatible, or Arrow downloads do not carry it
     */
    public ArrowBatchToRowData(
            RowType producedType, TableSchema odpsSchema, List<String> batchColumnNames) {
        this.layout = new ProducedRowLayout(producedType, odpsSchema, batchColumnNames, "batches");
        this.copiers = new ArrowToFlinkVectors.Copier[layout.dataFieldCount()];
        for (int i = 0; i < copiers.length; i++) {
            copiers[i] =
                    ArrowToFlinkVectors.create(
                            layout.dataName(i), layout.dataOdpsType(i), layout.dataFlinkType(i));
        }
        this.template = new ColumnVector[layout.arity()];
    }

    /**
     * The rows of {@code batch}, read from {@code partition} (null or empty for a non-partitioned
     * table). They hold copies: {@code batch} may be released as soon as this returns.
     */
    public List<RowData> convert(VectorSchemaRoot batch, @Nullable PartitionSpec partition) {
        Object[] partitionValues = layout.partitionValues(partition);
        if (partitionValues != templateValues) {
            // Batches arrive split by split, so the partition changes rarely.
            for (int i = 0; i < partitionValues.length; i++) {
                template[layout.partitionRowPosition(i)] =
                        new ConstantColumnVector(partitionValues[i]);
            }
            templateValues = partitionValues;
        }
        int rows = batch.getRowCount();
        ColumnVector[] columns = template.clone();
        for (int i = 0; i < copiers.length; i++) {
            try {
                columns[layout.dataRowPosition(i)] =
                        copiers[i].copy(batch.getVector(layout.dataReadIndex(i)), rows);
            } catch (RuntimeException e) {
                throw layout.conversionFailure(i, e);
            }
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
}
