package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.types.StructType;

import javax.annotation.Nullable;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Kernel's logical batches of one data file (after {@code Scan.transformPhysicalData}), each with
 * its vectors in the order of the read schema's columns and its selection vector (the deletion
 * vector). Both the row and the column batch path read a file through this.
 */
@Internal
final class DeltaLogicalBatches implements Closeable {

    /**
     * One logical batch.
     *
     * @param columns the vectors, in the order of the read schema's columns
     * @param selection the rows to keep, or {@code null} for all
     * @param size the rows in the batch, kept or not
     */
    record Batch(ColumnVector[] columns, @Nullable ColumnVector selection, int size) {

        boolean isSelected(int rowId) {
            return selection == null || (!selection.isNullAt(rowId) && selection.getBoolean(rowId));
        }
    }

    private final io.delta.kernel.utils.CloseableIterator<FilteredColumnarBatch> batches;
    private final List<String> columns;
    private final String file;

    DeltaLogicalBatches(
            io.delta.kernel.utils.CloseableIterator<FilteredColumnarBatch> batches,
            StructType schema,
            String file) {
        this.batches = batches;
        this.columns = schema.fieldNames();
        this.file = file;
    }

    String file() {
        return file;
    }

    /** The next batch, or {@code null} at the end of the file. */
    @Nullable
    Batch next() {
        FilteredColumnarBatch batch;
        try {
            if (!batches.hasNext()) {
                return null;
            }
            batch = batches.next();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Could not read the Delta data file " + file, e);
        }
        ColumnarBatch data = batch.getData();
        StructType batchSchema = data.getSchema();
        ColumnVector[] vectors = new ColumnVector[columns.size()];
        for (int i = 0; i < vectors.length; i++) {
            int ordinal = batchSchema.indexOf(columns.get(i));
            if (ordinal < 0) {
                throw new IllegalStateException(
                        "Kernel returned no column '"
                                + columns.get(i)
                                + "' for "
                                + file
                                + "; it returned "
                                + batchSchema.fieldNames());
            }
            vectors[i] = data.getColumnVector(ordinal);
        }
        return new Batch(vectors, batch.getSelectionVector().orElse(null), data.getSize());
    }

    @Override
    public void close() throws IOException {
        batches.close();
    }
}
