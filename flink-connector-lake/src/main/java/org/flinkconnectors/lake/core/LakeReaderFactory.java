package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;

import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;

/**
 * Opens splits for reading on a task manager. Created on the client by {@link
 * LakeTable#createReaderFactory} with everything the format needs (schemas, file IO, column
 * mapping), so task managers do not contact the catalog.
 */
@PublicEvolving
public interface LakeReaderFactory extends Serializable {

    /**
     * Opens the split positioned after its {@link LakeSplit#recordsToSkip() already emitted}
     * records. Deleted rows are never returned and do not count as records. Returned rows may be
     * reused by the iterator; copy them to keep them.
     */
    CloseableIterator<RowData> open(LakeSplit split) throws IOException;

    /**
     * Opens the split as column batches, positioned like {@link #open}: rows emitted before are
     * dropped from the first batches, deleted rows are dropped. Empty when this split is read row
     * by row (its file format, deletes or column types do not allow batches); then {@link #open}
     * reads it. For one split the answer is always the same, so a restored split is read the same
     * way.
     */
    default Optional<CloseableIterator<LakeColumnBatch>> openBatches(LakeSplit split)
            throws IOException {
        return Optional.empty();
    }

    /**
     * Whether {@link #open}'s iterators reuse the row objects they return. A factory whose rows are
     * new on every call says {@code false}, and readers keep them without copying.
     */
    default boolean reusesRows() {
        return true;
    }
}
