package org.flinkconnectors.odps.lookup;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.InputSplit;

import javax.annotation.Nullable;

/**
 * Rows {@code [start, start + count)} of one download session, one task of a full cache load. A
 * load that selects no rows at all still has one split, an empty one, because Flink's cache loader
 * requires at least one.
 */
@Internal
public final class OdpsLookupSplit implements InputSplit {

    private static final long serialVersionUID = 1L;

    private final int splitNumber;
    private final String partitionSpec;
    @Nullable private final String sessionId;
    private final long start;
    private final long count;

    OdpsLookupSplit(
            int splitNumber,
            String partitionSpec,
            @Nullable String sessionId,
            long start,
            long count) {
        this.splitNumber = splitNumber;
        this.partitionSpec = partitionSpec;
        this.sessionId = sessionId;
        this.start = start;
        this.count = count;
    }

    static OdpsLookupSplit empty() {
        return new OdpsLookupSplit(0, "", null, 0, 0);
    }

    @Override
    public int getSplitNumber() {
        return splitNumber;
    }

    /** The partition, or empty for an unpartitioned table. */
    String partitionSpec() {
        return partitionSpec;
    }

    /** The download session, or {@code null} for the empty split. */
    @Nullable
    String sessionId() {
        return sessionId;
    }

    long start() {
        return start;
    }

    long count() {
        return count;
    }

    boolean isEmpty() {
        return sessionId == null || count == 0;
    }

    @Override
    public String toString() {
        return isEmpty()
                ? "OdpsLookupSplit{empty}"
                : String.format(
                        "OdpsLookupSplit{%d, %s, session %s, rows [%d,%d)}",
                        splitNumber,
                        partitionSpec.isEmpty() ? "unpartitioned" : partitionSpec,
                        sessionId,
                        start,
                        start + count);
    }
}
