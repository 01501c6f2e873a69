package org.flinkconnectors.odps.source.enumerator;

import org.apache.flink.annotation.Internal;

/**
 * One look at a partition: the download session opened on it, the row count that session fixed,
 * what the enumerator knows of the partition once this snapshot is planned (all its rows, the
 * modification time as listed just before, the fingerprint of the rows), and whether the partition
 * is to be read again from its first row because its contents were replaced.
 */
@Internal
final class PartitionSnapshot {

    final String spec;
    final String sessionId;
    final long rowCount;
    final PartitionProgress progress;
    final boolean reread;

    PartitionSnapshot(
            String spec,
            String sessionId,
            long rowCount,
            PartitionProgress progress,
            boolean reread) {
        this.spec = spec;
        this.sessionId = sessionId;
        this.rowCount = rowCount;
        this.progress = progress;
        this.reread = reread;
    }

    @Override
    public String toString() {
        return (spec.isEmpty() ? "(unpartitioned)" : spec)
                + ": "
                + rowCount
                + " rows in session "
                + sessionId
                + (reread ? " (read again from the first row)" : "");
    }
}
