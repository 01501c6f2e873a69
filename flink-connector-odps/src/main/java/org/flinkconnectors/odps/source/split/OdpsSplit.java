package org.flinkconnectors.odps.source.split;

import org.flinkconnectors.base.source.split.PositionedSplit;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Objects;

/**
 * A range of rows of one partition snapshot: the partition, the tunnel download session whose row
 * count fixed the snapshot, the first row and the number of rows, plus how many of them were
 * already emitted (the split's checkpointed progress).
 *
 * <p>Any download session of the partition that has at least {@link #getEndRow()} rows can serve
 * the range, since partitions are assumed to be appended to only. That is what lets a reader
 * continue a split whose session expired (MaxCompute drops sessions after 24 hours).
 */
@PublicEvolving
public final class OdpsSplit implements PositionedSplit<OdpsSplit> {

    private final String partitionSpec;
    private final String sessionId;
    private final long startRow;
    private final long rowCount;
    private final long rowsRead;

    public OdpsSplit(String partitionSpec, String sessionId, long startRow, long rowCount) {
        this(partitionSpec, sessionId, startRow, rowCount, 0);
    }

    public OdpsSplit(
            String partitionSpec, String sessionId, long startRow, long rowCount, long rowsRead) {
        if (startRow < 0 || rowCount <= 0 || rowsRead < 0 || rowsRead > rowCount) {
            throw new IllegalArgumentException(
                    String.format(
                            "Invalid split of partition '%s': start row %d, row count %d, rows"
                                    + " read %d (need start >= 0, count > 0, 0 <= read <= count).",
                            partitionSpec, startRow, rowCount, rowsRead));
        }
        this.partitionSpec = Objects.requireNonNull(partitionSpec, "partitionSpec");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.startRow = startRow;
        this.rowCount = rowCount;
        this.rowsRead = rowsRead;
    }

    /**
     * {@code <spec>@<session>[<start>,<end>)}. The session id keeps the id unique even if a
     * partition is dropped, recreated and planned again from row 0 while an old split of it is
     * still being read.
     */
    @Override
    public String splitId() {
        return partitionSpec + "@" + sessionId + "[" + startRow + "," + getEndRow() + ")";
    }

    /** The partition's spec, e.g. {@code ds=20261121,hh=08}; empty for an unpartitioned table. */
    public String getPartitionSpec() {
        return partitionSpec;
    }

    /** The download session the split was planned on. */
    public String getSessionId() {
        return sessionId;
    }

    public long getStartRow() {
        return startRow;
    }

    public long getRowCount() {
        return rowCount;
    }

    /** The rows of the range already emitted; reading resumes after them. */
    public long getRowsRead() {
        return rowsRead;
    }

    /** The first row after the range. */
    public long getEndRow() {
        return startRow + rowCount;
    }

    /** The next row to read: {@code startRow + rowsRead}. */
    public long getNextRow() {
        return startRow + rowsRead;
    }

    public long getRemainingRows() {
        return rowCount - rowsRead;
    }

    /** The absolute row number a reader resumes at, as {@link #getNextRow()}. */
    @Override
    public long position() {
        return getNextRow();
    }

    /** This split, to be resumed at absolute row {@code nextRow}. */
    @Override
    public OdpsSplit atPosition(long nextRow) {
        return withRowsRead(nextRow - startRow);
    }

    /** This split with {@code rowsRead} rows of it done. */
    public OdpsSplit withRowsRead(long rowsRead) {
        return new OdpsSplit(partitionSpec, sessionId, startRow, rowCount, rowsRead);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OdpsSplit)) {
            return false;
        }
        OdpsSplit that = (OdpsSplit) o;
        return startRow == that.startRow
                && rowCount == that.rowCount
                && rowsRead == that.rowsRead
                && partitionSpec.equals(that.partitionSpec)
                && sessionId.equals(that.sessionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionSpec, sessionId, startRow, rowCount, rowsRead);
    }

    @Override
    public String toString() {
        return "OdpsSplit{"
                + (partitionSpec.isEmpty() ? "unpartitioned" : partitionSpec)
                + ", session="
                + sessionId
                + ", rows=["
                + startRow
                + ","
                + getEndRow()
                + "), read="
                + rowsRead
                + '}';
    }
}
