package org.flinkconnectors.odps.source.enumerator;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Objects;

/**
 * What the enumerator knows about one partition: how many of its rows are already planned into
 * splits (rows {@code [0, plannedRows)}), the partition's last data modification time when the
 * enumerator last looked at it, which lets later discoveries skip partitions that did not change,
 * and a fingerprint of the planned rows (hashes of the first and the last planned row, all columns)
 * that tells rows appended after them from contents that were replaced.
 */
@PublicEvolving
public final class PartitionProgress {

    /** Marker for an unknown modification time (unpartitioned tables, old metadata). */
    public static final long UNKNOWN_TIME = -1;

    private final long plannedRows;
    private final long lastModifiedMillis;
    private final boolean fingerprinted;
    private final long firstRowHash;
    private final long lastRowHash;

    /** Progress without a fingerprint (as restored from state of version 1). */
    public PartitionProgress(long plannedRows, long lastModifiedMillis) {
        this(plannedRows, lastModifiedMillis, false, 0, 0);
    }

    /** Progress with the hashes of the first and the last planned row. */
    public PartitionProgress(
            long plannedRows, long lastModifiedMillis, long firstRowHash, long lastRowHash) {
        this(plannedRows, lastModifiedMillis, true, firstRowHash, lastRowHash);
    }

    private PartitionProgress(
            long plannedRows,
            long lastModifiedMillis,
            boolean fingerprinted,
            long firstRowHash,
            long lastRowHash) {
        if (plannedRows < 0) {
            throw new IllegalArgumentException("Planned rows must be >= 0: " + plannedRows);
        }
        this.plannedRows = plannedRows;
        this.lastModifiedMillis = lastModifiedMillis;
        this.fingerprinted = fingerprinted && plannedRows > 0;
        this.firstRowHash = this.fingerprinted ? firstRowHash : 0;
        this.lastRowHash = this.fingerprinted ? lastRowHash : 0;
    }

    public long getPlannedRows() {
        return plannedRows;
    }

    /** Epoch milliseconds, or {@link #UNKNOWN_TIME}. */
    public long getLastModifiedMillis() {
        return lastModifiedMillis;
    }

    /** Whether the hashes of the first and last planned row are known (never for 0 rows). */
    public boolean isFingerprinted() {
        return fingerprinted;
    }

    public long getFirstRowHash() {
        return firstRowHash;
    }

    public long getLastRowHash() {
        return lastRowHash;
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
        return plannedRows == that.plannedRows
                && lastModifiedMillis == that.lastModifiedMillis
                && fingerprinted == that.fingerprinted
                && firstRowHash == that.firstRowHash
                && lastRowHash == that.lastRowHash;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                plannedRows, lastModifiedMillis, fingerprinted, firstRowHash, lastRowHash);
    }

    @Override
    public String toString() {
        return "{planned="
                + plannedRows
                + ", lastModified="
                + lastModifiedMillis
                + (fingerprinted
                        ? ", firstRowHash=" + firstRowHash + ", lastRowHash=" + lastRowHash
                        : "")
                + '}';
    }
}
