package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import io.delta.kernel.types.StructType;

import javax.annotation.Nullable;

import java.io.IOException;
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

    private final DeltaLogicalBatches batches;
    private final int arity;
    private final DeltaRowConverter converter;
    private final RowKind kind;
    private long rowsToSkip;

    @Nullable private DeltaLogicalBatches.Batch batch;
    private int rowId;
    private boolean rowReady;

    DeltaRowIterator(
            DeltaLogicalBatches batches, StructType schema, long rowsToSkip, RowKind kind) {
        this.batches = batches;
        this.arity = schema.length();
        this.converter = new DeltaRowConverter(schema);
        this.kind = kind;
        this.rowsToSkip = rowsToSkip;
    }

    @Override
    public boolean hasNext() {
        while (!rowReady) {
            if (batch == null || rowId >= batch.size()) {
                batch = batches.next();
                rowId = 0;
                if (batch == null) {
                    return false;
                }
            }
            if (rowsToSkip > 0 && batch.selection() == null) {
                // Nothing deleted in this batch: skip what we can without looking at rows.
                int skipped = (int) Math.min(rowsToSkip, batch.size() - rowId);
                rowId += skipped;
                rowsToSkip -= skipped;
                continue;
            }
            if (rowId < batch.size() && batch.isSelected(rowId)) {
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
            throw new NoSuchElementException("No more rows in " + batches.file());
        }
        GenericRowData row = new GenericRowData(kind, arity);
        converter.read(batch.columns(), rowId, row);
        rowReady = false;
        rowId++;
        return row;
    }

    @Override
    public void close() throws IOException {
        batches.close();
    }
}
