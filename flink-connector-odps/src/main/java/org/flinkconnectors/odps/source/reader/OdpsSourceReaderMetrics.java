package org.flinkconnectors.odps.source.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The reader's FLIP-33 metrics beyond those {@code SourceReaderBase} keeps: {@code numBytesIn} (the
 * record stream's bytes as the SDK's tunnel reader counts them, added in the task thread as the
 * emitter sees each fetch) and {@code pendingRecords}, the rows of this reader's splits that are
 * not fetched yet (kept by the fetcher thread, read by metric reporters).
 */
@Internal
public final class OdpsSourceReaderMetrics {

    private final Counter numBytesIn;
    private final AtomicLong pendingRows = new AtomicLong();

    public OdpsSourceReaderMetrics(SourceReaderMetricGroup metricGroup) {
        this.numBytesIn = metricGroup.getIOMetricGroup().getNumBytesInCounter();
        metricGroup.setPendingRecordsGauge(this::pendingRecords);
    }

    /** The value of the {@code pendingRecords} gauge. */
    public long pendingRecords() {
        return pendingRows.get();
    }

    void splitAdded(long remainingRows) {
        pendingRows.addAndGet(remainingRows);
    }

    void rowsFetched(long rows) {
        pendingRows.addAndGet(-rows);
    }

    public void bytesEmitted(long bytes) {
        numBytesIn.inc(bytes);
    }
}
