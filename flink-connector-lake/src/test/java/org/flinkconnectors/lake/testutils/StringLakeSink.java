package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.core.LakeWriteResult;
import org.flinkconnectors.lake.sink.LakeCommittable;
import org.flinkconnectors.lake.sink.LakeSink;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

import java.io.IOException;
import java.util.Collection;

/**
 * The lake sink for strings, into a table {@code (value STRING)}: Flink's sink test suite sorts the
 * records it compares, which {@code RowData} cannot be, so its data are strings. Every part but the
 * writer's input conversion is the {@link LakeSink} under test.
 */
public final class StringLakeSink
        implements Sink<String>,
                SupportsCommitter<LakeCommittable>,
                SupportsPreCommitTopology<LakeWriteResult, LakeCommittable> {

    private final LakeSink sink;

    public StringLakeSink(LakeSink sink) {
        this.sink = sink;
    }

    @Override
    @SuppressWarnings("unchecked")
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        CommittingSinkWriter<RowData, LakeWriteResult> rows =
                (CommittingSinkWriter<RowData, LakeWriteResult>) sink.createWriter(context);
        return new CommittingSinkWriter<String, LakeWriteResult>() {
            @Override
            public void write(String value, Context context)
                    throws IOException, InterruptedException {
                rows.write(GenericRowData.of(StringData.fromString(value)), context);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                rows.flush(endOfInput);
            }

            @Override
            public Collection<LakeWriteResult> prepareCommit()
                    throws IOException, InterruptedException {
                return rows.prepareCommit();
            }

            @Override
            public void close() throws Exception {
                rows.close();
            }
        };
    }

    @Override
    public Committer<LakeCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        return sink.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<LakeCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    @Override
    public DataStream<CommittableMessage<LakeCommittable>> addPreCommitTopology(
            DataStream<CommittableMessage<LakeWriteResult>> writeResults) {
        return sink.addPreCommitTopology(writeResults);
    }

    @Override
    public SimpleVersionedSerializer<LakeWriteResult> getWriteResultSerializer() {
        return sink.getWriteResultSerializer();
    }
}
