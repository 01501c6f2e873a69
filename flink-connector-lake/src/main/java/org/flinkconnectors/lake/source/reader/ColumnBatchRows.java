package org.flinkconnectors.lake.source.reader;

import org.flinkconnectors.lake.core.LakeColumnBatch;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;

import javax.annotation.Nullable;

import java.util.NoSuchElementException;

/**
 * The rows of column batches, dropped ones left out, as views over the batches' vectors. The
 * vectors are never written again, so the views need no copy.
 */
@Internal
final class ColumnBatchRows implements CloseableIterator<RowData> {

    private final CloseableIterator<LakeColumnBatch> batches;
    @Nullable private LakeColumnBatch batch;
    private int nextRow;

    ColumnBatchRows(CloseableIterator<LakeColumnBatch> batches) {
        this.batches = batches;
    }

    @Override
    public boolean hasNext() {
        while (true) {
            if (batch != null) {
                while (nextRow < batch.size() && batch.isDropped(nextRow)) {
                    nextRow++;
                }
                if (nextRow < batch.size()) {
                    return true;
                }
            }
            if (!batches.hasNext()) {
                batch = null;
                return false;
            }
            batch = batches.next();
            nextRow = 0;
        }
    }

    @Override
    public RowData next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return batch.row(nextRow++);
    }

    @Override
    public void close() throws Exception {
        batches.close();
    }
}
