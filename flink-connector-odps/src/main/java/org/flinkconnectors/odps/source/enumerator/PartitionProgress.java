package org.flinkconnectors.odps.source.enumerator;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Objects;

/**
 * What the enumerator knows about one partition: how many of its rows are already planned into
 * splits (rows {@code [0, plannedRows)}), and the partition's last data modification time when the
 * enumerator last looked at it, which lets later discoveries skip partitions that did not change.
 */
@PublicEvolving
public final class PartitionProgress {

    /** Marker for an unknown modification time (unpartitioned tables, old metadata). */
    public static final long UNKNOWN_TIME = -1;

    private final long plannedRows;
    private final long lastModifiedMillis;

    public PartitionProgress(long plannedRows, long lastModifiedMillis) {
        if (plannedRows < 0) {
            throw new IllegalArgumentException("Planned rows must be >= 0: " + plannedRows);
        }
        this.plannedRows = plannedRows;
        this.lastModifiedMillis = lastModifiedMillis;
    }

    public long getPlannedRows() {
        return plannedRows;
    }

    /** Epoch milliseconds, or {@link #UNKNOWN_TIME}. */
    public long getLastModifiedMillis() {
        return lastModifiedMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PartitionProgress)) {
            return false;
        }
        PartitionProgress that = (PartitionProgress) o;
        return plannedRows == that.plannedRows && lastModifiedMillis == that.lastModifiedMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(plannedRows, lastModifiedMillis);
    }

    @Override
    public String toString() {
        return "{planned=" + plannedRows + ", lastModified=" + lastModifiedMillis + '}';
    }
}
