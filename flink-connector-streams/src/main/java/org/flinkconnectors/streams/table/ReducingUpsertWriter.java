package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.sink.StreamsCommittable;
import org.flinkconnectors.streams.sink.StreamsWriterState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer of {@link ReducingUpsertSink}: newest row per key, flushed by size, time, checkpoint.
 */
@Internal
class ReducingUpsertWriter
        implements CommittingSinkWriter<RowData, StreamsCommittable>,
                StatefulSinkWriter<RowData, StreamsWriterState> {

    private final StatefulSinkWriter<RowData, StreamsWriterState> delegate;
    private final RowData.FieldGetter[] keyGetters;
    private final int maxRows;
    private final long intervalMillis;
    private final ProcessingTimeService timers;
    @Nullable private final TypeSerializer<RowData> copier;
    private final Map<RowData, Buffered> buffer = new LinkedHashMap<>();
    private boolean timerPending;
    private IOException flushFailure;

    ReducingUpsertWriter(
            StatefulSinkWriter<RowData, StreamsWriterState> delegate,
            WriterInitContext context,
            RowData.FieldGetter[] keyGetters,
            int maxRows,
            long intervalMillis) {
        this.delegate = delegate;
        this.keyGetters = keyGetters;
        this.maxRows = maxRows;
        this.intervalMillis = intervalMillis;
        this.timers = context.getProcessingTimeService();
        // With object reuse the runtime recycles the row instance: keep a copy.
        this.copier = context.isObjectReuseEnabled() ? context.createInputSerializer() : null;
    }

    @Override
    public void write(RowData row, Context context) throws IOException, InterruptedException {
        throwFlushFailure();
        RowData value = copier == null ? row : copier.copy(row);
        buffer.put(key(value), new Buffered(value, context.timestamp()));
        if (buffer.size() >= maxRows) {
            flushBuffer();
        } else if (!timerPending) {
            timerPending = true;
            timers.registerTimer(
                    timers.getCurrentProcessingTime() + intervalMillis, time -> onTimer());
        }
    }

    private void onTimer() throws IOException, InterruptedException {
        timerPending = false;
        try {
            flushBuffer();
        } catch (IOException e) {
            // Surfaces at the next write or checkpoint, where the task can fail cleanly.
            flushFailure = e;
        }
    }

    private RowData key(RowData row) {
        GenericRowData key = new GenericRowData(keyGetters.length);
        for (int i = 0; i < keyGetters.length; i++) {
            key.setField(i, keyGetters[i].getFieldOrNull(row));
        }
        return key;
    }

    private void flushBuffer() throws IOException, InterruptedException {
        for (Buffered buffered : buffer.values()) {
            delegate.write(buffered.row, buffered);
        }
        buffer.clear();
    }

    private void throwFlushFailure() throws IOException {
        if (flushFailure != null) {
            IOException failure = flushFailure;
            flushFailure = null;
            throw failure;
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        throwFlushFailure();
        flushBuffer();
        delegate.flush(endOfInput);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Collection<StreamsCommittable> prepareCommit() throws IOException, InterruptedException {
        return ((CommittingSinkWriter<RowData, StreamsCommittable>) delegate).prepareCommit();
    }

    @Override
    public List<StreamsWriterState> snapshotState(long checkpointId) throws IOException {
        return delegate.snapshotState(checkpointId);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    /** A buffered row with the timestamp it arrived with. */
    private static final class Buffered implements Context {
        final RowData row;
        @Nullable final Long timestamp;

        Buffered(RowData row, @Nullable Long timestamp) {
            this.row = row;
            this.timestamp = timestamp;
        }

        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Nullable
        @Override
        public Long timestamp() {
            return timestamp;
        }
    }
}
