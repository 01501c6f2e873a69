package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.sink.StreamsCommittable;
import org.flinkconnectors.streams.sink.StreamsSink;
import org.flinkconnectors.streams.sink.StreamsWriterState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * An upsert sink that keeps only the newest row per key for a while before writing, like the
 * official {@code upsert-kafka}'s {@code sink.buffer-flush.*}: a hot key updated a thousand times
 * between flushes costs one record. The buffer is flushed when it holds {@code maxRows} keys, every
 * {@code interval}, and before every checkpoint, so nothing buffered is lost.
 */
@Internal
class ReducingUpsertSink
        implements Sink<RowData>,
                SupportsWriterState<RowData, StreamsWriterState>,
                SupportsCommitter<StreamsCommittable> {

    private static final long serialVersionUID = 1L;

    private final StreamsSink<RowData> delegate;
    private final RowData.FieldGetter[] keyGetters;
    private final int maxRows;
    private final Duration interval;

    ReducingUpsertSink(
            StreamsSink<RowData> delegate,
            RowData.FieldGetter[] keyGetters,
            int maxRows,
            Duration interval) {
        this.delegate = delegate;
        this.keyGetters = keyGetters;
        this.maxRows = maxRows;
        this.interval = interval;
    }

    @Override
    public StatefulSinkWriter<RowData, StreamsWriterState> createWriter(WriterInitContext context)
            throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<RowData, StreamsWriterState> restoreWriter(
            WriterInitContext context, Collection<StreamsWriterState> state) throws IOException {
        return new ReducingUpsertWriter(
                delegate.restoreWriter(context, state),
                context,
                keyGetters,
                maxRows,
                interval.toMillis());
    }

    @Override
    public SimpleVersionedSerializer<StreamsWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public Committer<StreamsCommittable> createCommitter(CommitterInitContext context) {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<StreamsCommittable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    @Override
    public String toString() {
        return "ReducingUpsertSink{maxRows="
                + maxRows
                + ", interval="
                + interval
                + ", "
                + delegate
                + '}';
    }
}
