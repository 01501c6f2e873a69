package org.flinkconnectors.odps.source.enumerator;

import org.apache.flink.annotation.Internal;

/**
 * One look at a partition: the download session opened on it, the row count that session fixed, and
 * the partition's last modification time as listed just before.
 */
@Internal
final class PartitionSnapshot {

    final String spec;
    final String sessionId;
    final long rowCount;
    final long lastModifiedMillis;

    PartitionSnapshot(String spec, String sessionId, long rowCount, long lastModifiedMillis) {
        this.spec = spec;
        this.sessionId = sessionId;
        this.rowCount = rowCount;
        this.lastModifiedMillis = lastModifiedMillis;
    }

    @Override
    public String toString() {
        return (spec.isEmpty() ? "(unpartitioned)" : spec)
                + ": "
                + rowCount
                + " rows in session "
                + sessionId;
    }
}
