package org.flinkconnectors.odps.source.reader;

import org.flinkconnectors.base.source.reader.PositionedBatch;
import org.flinkconnectors.base.source.reader.PositionedRecord;
import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.odps.source.split.OdpsSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the row ranges of its splits, one split after the other, through the tunnel and
 * deserializes the rows right here in the fetcher thread.
 *
 * <p>Deserializing here rather than in the task thread's emitter is the faster choice: decoding the
 * record stream and building the output values then overlap with the downstream operators instead
 * of adding to them, and since every record is converted before the next is read the SDK's {@code
 * Record} can be reused ({@link RecordDownload}), so the only allocation per row is the output
 * value itself. A fetch returns at most {@link #BATCH_SIZE} rows: large enough to amortize the
 * hand-over to the task thread, small enough that {@link #wakeUp()} and the limit take effect
 * within milliseconds. The download ({@link SplitDownload}: records, or Arrow batches) stays open
 * between fetches; the SDK's record reader reconnects at the current row if it breaks.
 */
@Internal
public final class OdpsSplitReader<OUT> implements SplitReader<PositionedRecord<OUT>, OdpsSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(OdpsSplitReader.class);

    /** Rows per fetch. */
    static final int BATCH_SIZE = 2_000;

    private final TableReadContext<OUT> context;
    private final ReadLimit limit;
    private final OdpsSourceReaderMetrics metrics;
    private final ArrayDeque<OdpsSplit> splits = new ArrayDeque<>();

    @Nullable private OdpsSplit current;
    private long nextRow;
    @Nullable private SplitDownload<OUT> stream;
    private long streamBytes;
    private volatile boolean wakeUp;

    public OdpsSplitReader(
            TableReadContext<OUT> context, ReadLimit limit, OdpsSourceReaderMetrics metrics) {
        this.context = context;
        this.limit = limit;
        this.metrics = metrics;
    }

    @Override
    public RecordsWithSplitIds<PositionedRecord<OUT>> fetch() throws IOException {
        Set<String> finished = new HashSet<>();
        if (limit.reached()) {
            // A pushed-down LIMIT is satisfied: end every split instead of reading on.
            while (nextSplit()) {
                metrics.rowsFetched(current.getEndRow() - nextRow);
                finishCurrent(finished);
            }
            return PositionedBatch.finishedOnly(finished);
        }
        if (!nextSplit()) {
            return PositionedBatch.finishedOnly(finished);
        }
        if (nextRow >= current.getEndRow()) {
            // Restored right after its last row was emitted, before it was reported finished.
            finishCurrent(finished);
            return PositionedBatch.finishedOnly(finished);
        }
        if (stream == null) {
            context.open();
            stream = context.openStream(current, nextRow);
            streamBytes = 0;
        }
        String splitId = current.splitId();
        PositionedBatch<OUT> batch = readBatch(splitId, finished);
        if (nextRow >= current.getEndRow()) {
            finishCurrent(finished);
        }
        return batch;
    }

    /** Makes the split being read, or else the next assigned one, current; false if none. */
    private boolean nextSplit() {
        if (current == null) {
            current = splits.poll();
            if (current != null) {
                nextRow = current.getNextRow();
            }
        }
        return current != null;
    }

    /**
     * Reads up to a batch of the current split. Rows the deserializer skips advance the position
     * but are not handed over; if the batch ends with such rows, a restore reads them again and
     * skips them again.
     */
    private PositionedBatch<OUT> readBatch(String splitId, Set<String> finished)
            throws IOException {
        long maxRows = Math.min(BATCH_SIZE, current.getEndRow() - nextRow);
        int maxValues = (int) Math.min(maxRows, limit.remaining());
        Object[] values = new Object[maxValues];
        long[] nextRows = new long[maxValues];
        int size = 0;
        long rows = 0;
        String spec = current.getPartitionSpec();
        while (rows < maxRows && size < maxValues && !wakeUp) {
            if (!stream.next()) {
                throw new IOException(
                        String.format(
                                "The download of %s ended at row %d, before the end %d of split"
                                        + " %s.",
                                context.describe(spec), nextRow, current.getEndRow(), current));
            }
            nextRow++;
            rows++;
            OUT value = stream.value();
            if (value != null) {
                values[size] = value;
                nextRows[size] = nextRow;
                size++;
            }
        }
        wakeUp = false;
        limit.produced(size);
        metrics.rowsFetched(rows);
        long bytes = stream.bytesRead() - streamBytes;
        streamBytes += bytes;
        return PositionedBatch.of(splitId, values, nextRows, size, bytes, finished);
    }

    private void finishCurrent(Set<String> finished) throws IOException {
        finished.add(current.splitId());
        LOG.debug("Finished {} at row {}.", current, nextRow);
        current = null;
        closeStream();
    }

    @Override
    public void handleSplitsChanges(SplitsChange<OdpsSplit> splitsChange) {
        if (!(splitsChange instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported split change " + splitsChange.getClass().getSimpleName());
        }
        for (OdpsSplit split : splitsChange.splits()) {
            splits.add(split);
            metrics.splitAdded(split.getRemainingRows());
        }
    }

    @Override
    public void wakeUp() {
        wakeUp = true;
    }

    @Override
    public void close() throws IOException {
        closeStream();
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            SplitDownload<OUT> closing = stream;
            stream = null;
            closing.close();
        }
    }
}
