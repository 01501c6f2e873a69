package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.odps.source.split.OdpsSplit;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.List;

/** Cuts a row range of a partition snapshot into splits of at most {@code splitRows} rows. */
@Internal
public final class OdpsSplitPlanner {

    private OdpsSplitPlanner() {}

    /**
     * Splits of rows {@code [fromRow, toRow)} of the snapshot that {@code sessionId} fixed, in row
     * order; none if the range is empty.
     */
    public static List<OdpsSplit> plan(
            String partitionSpec, String sessionId, long fromRow, long toRow, long splitRows) {
        if (splitRows <= 0) {
            throw new IllegalArgumentException("Rows per split must be positive: " + splitRows);
        }
        List<OdpsSplit> splits = new ArrayList<>();
        for (long start = fromRow; start < toRow; start += splitRows) {
            splits.add(
                    new OdpsSplit(
                            partitionSpec, sessionId, start, Math.min(splitRows, toRow - start)));
        }
        return splits;
    }
}
