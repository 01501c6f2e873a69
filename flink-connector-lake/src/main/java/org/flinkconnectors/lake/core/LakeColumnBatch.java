package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.data.columnar.ColumnarRowData;
import org.apache.flink.table.data.columnar.vector.VectorizedColumnBatch;

import javax.annotation.Nullable;

import java.util.BitSet;

/**
 * Consecutive rows of a data file as column vectors, some of them dropped (deleted, excluded by a
 * row filter, or already emitted before a restore). The vectors belong to this batch alone and are
 * never written again, so its rows stay valid for as long as anyone holds them.
 */
@PublicEvolving
public final class LakeColumnBatch {

    private final VectorizedColumnBatch columns;
    @Nullable private final BitSet dropped;

    /**
     * @param columns the vectors, with their number of rows set
     * @param dropped the rows not to emit, or {@code null} for none
     */
    public LakeColumnBatch(VectorizedColumnBatch columns, @Nullable BitSet dropped) {
        this.columns = columns;
        this.dropped = dropped == null || dropped.isEmpty() ? null : dropped;
    }

    /** The rows in the batch, dropped ones included. */
    public int size() {
        return columns.getNumRows();
    }

    public boolean isDropped(int row) {
        return dropped != null && dropped.get(row);
    }

    /** The rows to emit. */
    public int liveRows() {
        return dropped == null ? size() : size() - dropped.cardinality();
    }

    /** A view of one row; it stays valid, the vectors never change. */
    public ColumnarRowData row(int row) {
        return new ColumnarRowData(columns, row);
    }
}
