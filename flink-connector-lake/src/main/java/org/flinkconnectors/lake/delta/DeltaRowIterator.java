package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.types.StructType;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The live rows of one data file: walks Kernel's logical batches, keeps the rows their selection
 * vector (the deletion vector) selects, and skips the first {@code rowsToSkip} of those, which a
 * restored split already emitted. Returns a new row for each, of the given kind (a changelog
 * split's phase, else {@link RowKind#INSERT}): the values are read out of the vectors anyway, and a
 * new row spares the source reader a deep copy of every row.
 */
@Internal
final class DeltaRowIterator implements CloseableIterator<RowData> {

    private final io.delta.kernel.utils.CloseableIterator<FilteredColumnarBatch> batches;
    private final List<String> columns;
    private final DeltaRowConverter converter;
    private final RowKind kind;
    private final String file;
    private long rowsToSkip;

    @Nullable private ColumnVector[] vectors;
    @Nullable private ColumnVector selection;
    private int batchSize;
    private int rowId;
    private boolean rowReady;

    DeltaRowIterator(
            io.delta.kernel.utils.CloseableIterator<FilteredColumnarBatch> batches,
            StructType schema,
            String file,
            long rowsToSkip,
            RowKind kind) {
        this.batches = batches;
        this.columns = schema.fieldNames();
        this.converter = new DeltaRowConverter(schema);
        this.kind = kind;
        this.file = file;
        this.rowsToSkip = rowsToSkip;
    }

    @Override
    public boolean hasNext() {
        while (!rowReady) {
            if (rowId >= batchSize && !nextBatch()) {
                return false;
            }
            if (rowsToSkip > 0 && selection == null) {
                // Nothing deleted in this batch: skip what we can without looking at rows.
                int skipped = (int) Math.min(rowsToSkip, batchSize - rowId);
                rowId += skipped;
                rowsToSkip -= skipped;
                continue;
            }
            if (rowId < batchSize && isSelected(rowId)) {
                if (rowsToSkip > 0) {
                    rowsToSkip--;
                } else {
                    rowReady = true;
                    return true;
                }
            }
            rowId++;
        }
        return true;
    }

    @Override
    public RowData next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No more rows in " + file);
        }
        GenericRowData row = new GenericRowData(kind, columns.size());
        converter.read(vectors, rowId, row);
        rowReady = false;
        rowId++;
        return row;
    }

    private boolean isSelected(int rowId) {
        return selection == null || (!selection.isNullAt(rowId) && selection.getBoolean(rowId));
    }

    private boolean nextBatch() {
        boolean hasBatch;
        try {
            hasBatch = batches.hasNext();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Could not read the Delta data file " + file, e);
        }
        if (!hasBatch) {
            return false;
        }
        FilteredColumnarBatch batch = batches.next();
        ColumnarBatch data = batch.getData();
        StructType batchSchema = data.getSchema();
        vectors = new ColumnVector[columns.size()];
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
        selection = batch.getSelectionVector().orElse(null);
        batchSize = data.getSize();
        rowId = 0;
        return true;
    }

    @Override
    public void close() throws IOException {
        batches.close();
    }
}
