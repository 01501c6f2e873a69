package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeColumnBatch;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.data.columnar.vector.VectorizedColumnBatch;
import org.apache.flink.util.CloseableIterator;

import io.delta.kernel.types.StructType;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.BitSet;
import java.util.NoSuchElementException;

/**
 * The rows of one data file as column batches over Kernel's own vectors: each logical batch of
 * Kernel's scan (partition values, column mapping and the deletion vector applied) becomes one
 * {@link LakeColumnBatch} of {@link DeltaColumnVector}s, without copying a value. The rows the
 * selection vector does not select, and the first {@code rowsToSkip} selected ones that a restored
 * split already emitted, are marked dropped. Only read schemas of scalar columns are read so
 * ({@link #supports}); nested columns stay on the row path.
 */
@Internal
final class DeltaColumnBatches implements CloseableIterator<LakeColumnBatch> {

    private final DeltaLogicalBatches batches;
    private long rowsToSkip;
    @Nullable private LakeColumnBatch next;
    private boolean ended;

    DeltaColumnBatches(DeltaLogicalBatches batches, long rowsToSkip) {
        this.batches = batches;
        this.rowsToSkip = rowsToSkip;
    }

    /** Whether every column of the read schema has a type {@link DeltaColumnVector} reads. */
    static boolean supports(StructType schema) {
        return schema.fields().stream().allMatch(f -> DeltaTypes.isScalar(f.getDataType()));
    }

    @Override
    public boolean hasNext() {
        while (next == null && !ended) {
            DeltaLogicalBatches.Batch batch = batches.next();
            if (batch == null) {
                ended = true;
            } else {
                next = columnBatch(batch);
            }
        }
        return next != null;
    }

    @Override
    public LakeColumnBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No more rows in " + batches.file());
        }
        LakeColumnBatch batch = next;
        next = null;
        return batch;
    }

    /** The batch with its dropped rows marked, or {@code null} when none of its rows is emitted. */
    @Nullable
    private LakeColumnBatch columnBatch(DeltaLogicalBatches.Batch batch) {
        int size = batch.size();
        BitSet dropped = null;
        if (batch.selection() == null) {
            if (rowsToSkip >= size) {
                rowsToSkip -= size;
                return null;
            }
            if (rowsToSkip > 0) {
                dropped = new BitSet(size);
                dropped.set(0, (int) rowsToSkip);
                rowsToSkip = 0;
            }
        } else {
            dropped = new BitSet(size);
            for (int row = 0; row < size; row++) {
                if (!batch.isSelected(row)) {
                    dropped.set(row);
                } else if (rowsToSkip > 0) {
                    dropped.set(row);
                    rowsToSkip--;
                }
            }
            if (dropped.cardinality() == size) {
                return null;
            }
        }
        ColumnVector[] vectors = new ColumnVector[batch.columns().length];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = new DeltaColumnVector(batch.columns()[i]);
        }
        VectorizedColumnBatch columns = new VectorizedColumnBatch(vectors);
        columns.setNumRows(size);
        return new LakeColumnBatch(columns, dropped);
    }

    @Override
    public void close() throws IOException {
        batches.close();
    }
}
