package org.flinkconnectors.lake.source.reader;

import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.source.LakeRowConverter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads its splits one after the other through the format's {@link LakeReaderFactory}, in batches
 * of up to {@link #BATCH_SIZE} rows: enough to amortize the hand-over to the task thread, few
 * enough that {@link #wakeUp()} takes effect quickly.
 *
 * <p>Format readers reuse row objects (Iceberg's Parquet readers do), and a batch outlives the next
 * read, so each row is copied here, in the fetcher thread, off the task thread's path, and
 * converted into the emitted element right away.
 */
@Internal
public final class LakeSplitReader<T> implements SplitReader<LakeRecord<T>, LakeSplit> {

    static final int BATCH_SIZE = 1_024;

    private final LakeReaderFactory readerFactory;
    private final RowDataSerializer rowSerializer;
    private final LakeRowConverter<T> converter;
    private final ArrayDeque<LakeSplit> splits = new ArrayDeque<>();

    @Nullable private LakeSplit current;
    @Nullable private CloseableIterator<RowData> rows;
    private long recordsRead;
    private volatile boolean wakeUp;

    public LakeSplitReader(
            LakeReaderFactory readerFactory, RowType producedType, LakeRowConverter<T> converter) {
        this.readerFactory = readerFactory;
        this.rowSerializer = new RowDataSerializer(producedType);
        this.converter = converter;
    }

    @Override
    public RecordsWithSplitIds<LakeRecord<T>> fetch() throws IOException {
        Set<String> finished = new HashSet<>();
        if (current == null) {
            LakeSplit next = splits.poll();
            if (next == null) {
                return LakeRecordBatch.finishedOnly(finished);
            }
            rows = readerFactory.open(next);
            current = next;
            recordsRead = next.recordsToSkip();
        }
        String splitId = current.splitId();
        long recordsBefore = recordsRead;
        List<T> batch = new ArrayList<>(64);
        while (batch.size() < BATCH_SIZE && !wakeUp && rows.hasNext()) {
            batch.add(converter.convert(rowSerializer.copy(rows.next())));
        }
        wakeUp = false;
        recordsRead += batch.size();
        if (!rows.hasNext()) {
            finished.add(splitId);
            closeCurrent();
        }
        return new LakeRecordBatch<>(splitId, batch, recordsBefore, finished);
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
