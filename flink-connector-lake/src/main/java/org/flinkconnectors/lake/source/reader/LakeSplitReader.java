package org.flinkconnectors.lake.source.reader;

import org.flinkconnectors.base.source.reader.PositionedBatch;
import org.flinkconnectors.base.source.reader.PositionedRecord;
import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.lake.core.LakeColumnBatch;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.source.LakeRowConverter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Reads its splits one after the other through the format's {@link LakeReaderFactory}, in batches
 * of up to {@link #BATCH_SIZE} rows: enough to amortize the hand-over to the task thread, few
 * enough that {@link #wakeUp()} takes effect quickly.
 *
 * <p>A split the format can read as {@link LakeReaderFactory#openBatches column batches} is read
 * so: its rows are views over vectors that are never written again, and need no copy. Otherwise
 * format readers may reuse row objects (Iceberg's Parquet row readers do), and a batch outlives the
 * next read, so such rows are copied here, in the fetcher thread, off the task thread's path; rows
 * a format makes new for each call ({@link LakeReaderFactory#reusesRows()}) are kept as they are.
 * Each row gets its split's metadata columns ({@link LakeRowLayout}) and is converted into the
 * emitted element right away.
 *
 * <p>With a limit (a pushed-down SQL {@code LIMIT}), the reader stops once it has read that many
 * rows: the split it is in ends there, and later splits end without their files being opened. Every
 * reader of a parallel source reads up to the limit; Flink applies it again on top.
 */
@Internal
public final class LakeSplitReader<T> implements SplitReader<PositionedRecord<T>, LakeSplit> {

    static final int BATCH_SIZE = 1_024;

    private final LakeReaderFactory readerFactory;
    private final LakeRowLayout layout;
    private final RowDataSerializer rowSerializer;
    private final LakeRowConverter<T> converter;
    private final ReadLimit limit;
    private final Counter splitsOpened;
    private final ArrayDeque<LakeSplit> splits = new ArrayDeque<>();

    @Nullable private LakeSplit current;
    @Nullable private CloseableIterator<RowData> rows;
    @Nullable private RowData currentMetadata;
    private long recordsRead;
    private volatile boolean wakeUp;

    public LakeSplitReader(
            LakeReaderFactory readerFactory, RowType producedType, LakeRowConverter<T> converter) {
        this(
                readerFactory,
                LakeRowLayout.of(producedType),
                converter,
                ReadLimit.none(),
                new SimpleCounter());
    }

    /**
     * @param limit the rows the source reader may read, shared by its split readers
     * @param splitsOpened counts the splits whose file this reader opened
     */
    public LakeSplitReader(
            LakeReaderFactory readerFactory,
            LakeRowLayout layout,
            LakeRowConverter<T> converter,
            ReadLimit limit,
            Counter splitsOpened) {
        this.readerFactory = readerFactory;
        this.layout = layout;
        this.rowSerializer = new RowDataSerializer(layout.readType());
        this.converter = converter;
        this.limit = limit;
        this.splitsOpened = splitsOpened;
    }

    @Override
    public RecordsWithSplitIds<PositionedRecord<T>> fetch() throws IOException {
        Set<String> finished = new HashSet<>();
        if (limit.reached()) {
            return endAllSplits(finished);
        }
        if (current == null) {
            LakeSplit next = splits.poll();
            if (next == null) {
                return PositionedBatch.finishedOnly(finished);
            }
            rows = openRows(next);
            splitsOpened.inc();
            current = next;
            currentMetadata = layout.hasMetadata() ? layout.metadataOf(next) : null;
            recordsRead = next.recordsToSkip();
        }
        String splitId = current.splitId();
        long recordsBefore = recordsRead;
        long batchSize = Math.min(BATCH_SIZE, limit.remaining());
        Object[] batch = new Object[(int) batchSize];
        int size = 0;
        while (size < batchSize && !wakeUp && rows.hasNext()) {
            batch[size++] = converter.convert(output(rows.next()));
        }
        wakeUp = false;
        recordsRead += size;
        limit.produced(size);
        if (limit.reached() || !rows.hasNext()) {
            finished.add(splitId);
            closeCurrent();
        }
        return PositionedBatch.consecutive(splitId, batch, size, recordsBefore, finished);
    }

    /** The split's rows, each valid for as long as it is held. */
    private CloseableIterator<RowData> openRows(LakeSplit split) throws IOException {
        Optional<CloseableIterator<LakeColumnBatch>> batches = readerFactory.openBatches(split);
        if (batches.isPresent()) {
            return new ColumnBatchRows(batches.get());
        }
        CloseableIterator<RowData> rows = readerFactory.open(split);
        if (!readerFactory.reusesRows()) {
            return rows;
        }
        return CloseableIterator.adapterForIterator(
                new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return rows.hasNext();
                    }

                    @Override
                    public RowData next() {
                        return rowSerializer.copy(rows.next());
                    }
                },
                rows);
    }

    /** The row to emit: the read row with the split's metadata columns if any. */
    private RowData output(RowData read) {
        return currentMetadata == null ? read : layout.assemble(read, currentMetadata);
    }

    /** Past the limit: the current split and every waiting one end unread. */
    private RecordsWithSplitIds<PositionedRecord<T>> endAllSplits(Set<String> finished)
            throws IOException {
        if (current != null) {
            finished.add(current.splitId());
            closeCurrent();
        }
        for (LakeSplit split; (split = splits.poll()) != null; ) {
            finished.add(split.splitId());
        }
        return PositionedBatch.finishedOnly(finished);
    }

    @Override
    public void handleSplitsChanges(SplitsChange<LakeSplit> splitsChange) {
        if (!(splitsChange instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported split change " + splitsChange.getClass().getSimpleName());
        }
        splits.addAll(splitsChange.splits());
    }

    @Override
    public void wakeUp() {
        wakeUp = true;
    }

    @Override
    public void close() throws Exception {
        closeCurrent();
    }

    private void closeCurrent() throws IOException {
        current = null;
        currentMetadata = null;
        if (rows != null) {
            CloseableIterator<RowData> closing = rows;
            rows = null;
            try {
                closing.close();
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
