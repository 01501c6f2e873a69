package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.classloading.JobClassLoaderRelease;
import org.flinkconnectors.base.sink.CommitMetrics;
import org.flinkconnectors.odps.client.OdpsConnectionConfig;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;

/**
 * A Sink V2 sink into a MaxCompute table through tunnel upload sessions, or upsert sessions for
 * primary-key tables ({@link OdpsSinkBuilder#setUpsert}), exactly-once by default: each writer
 * fills one session per partition and checkpoint, and the committer commits the sessions after the
 * checkpoint completes.
 *
 * <p>With overwrite (bounded jobs only) the input is keyed by partition first, so that one writer
 * fills one session per partition and each partition is replaced by a single commit.
 *
 * <pre>{@code
 * OdpsSink<Order> sink = OdpsSink.<Order>builder()
 *     .setConnection(OdpsConnectionConfig.builder()
 *         .endpoint("http://service.cn-hangzhou.maxcompute.aliyun.com/api")
 *         .project("my_project").accessId(id).accessKey(key).build())
 *     .setTable("orders")
 *     .setPartition("ds=20261121")
 *     .setSerializationSchema(new OrderSerializer())
 *     .build();
 * }</pre>
 *
 * @param <IN> the element type
 */
@PublicEvolving
public class OdpsSink<IN>
        implements Sink<IN>, SupportsCommitter<OdpsCommittable>, SupportsPreWriteTopology<IN> {

    private static final long serialVersionUID = 1L;

    private final OdpsConnectionConfig connection;
    private final String table;
    private final OdpsRecordSerializationSchema<IN> serializer;
    private final OdpsWriterSettings settings;

    OdpsSink(
            OdpsConnectionConfig connection,
            String table,
            OdpsRecordSerializationSchema<IN> serializer,
            OdpsWriterSettings settings) {
        this.connection = connection;
        this.table = table;
        this.serializer = serializer;
        this.settings = settings;
    }

    public static <IN> OdpsSinkBuilder<IN> builder() {
        return new OdpsSinkBuilder<>();
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        JobClassLoaderRelease.register(context.getUserCodeClassLoader(), "odps", () -> {});
        try {
            return new OdpsWriter<>(context, connection, table, serializer, settings);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not open the MaxCompute writer for table " + table, e);
        }
    }

    @Override
    public DataStream<IN> addPreWriteTopology(DataStream<IN> input) {
        if (!settings.overwrite) {
            return input;
        }
        return input.keyBy(
                new PartitionKeySelector<>(
                        connection, table, serializer, settings.staticPartition));
    }

    @Override
    public Committer<OdpsCommittable> createCommitter(CommitterInitContext context) {
        return new OdpsCommitter(connection, new CommitMetrics(context.metricGroup()));
    }

    @Override
    public SimpleVersionedSerializer<OdpsCommittable> getCommittableSerializer() {
        return new OdpsCommittableSerializer();
    }

    @Override
    public String toString() {
        return "OdpsSink{" + connection + ", table=" + table + ", " + settings + "}";
    }
}
