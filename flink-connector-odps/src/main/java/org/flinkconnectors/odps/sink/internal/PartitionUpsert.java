package org.flinkconnectors.odps.sink.internal;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.client.UpsertNetwork;
import org.flinkconnectors.odps.sink.OdpsCommittable;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.streams.UpsertStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The changes one writer sends to one partition of a primary-key table within one checkpoint: a
 * tunnel upsert session and its stream, which buffers the upserts and deletes per bucket and sends
 * a bucket once its buffer reaches the block size (or the stream reaches the row limit). Changes of
 * one key always go to the same bucket in order, so the service applies them in the order written.
 *
 * <p>The stream does not say how much it buffers, so the bytes the writer's memory budget counts
 * are estimated from the values written since the last flush ({@link RecordSizes}); sends the
 * stream makes by itself (a full bucket) are not subtracted, so the estimate errs high.
 */
@Internal
public final class PartitionUpsert implements PartitionWrite {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionUpsert.class);

    /** The SDK's default bound of what a stream buffers over all buckets. */
    private static final long MIN_STREAM_BUFFER_BYTES = 64L << 20;

    private final OdpsTableClient client;
    private final String partition;
    private final TableTunnel.UpsertSession session;
    private final UpsertStream stream;
    private final long maxBufferedRows;
    private final Record record;
    private final int columnCount;
    private long rowsBuffered;
    private long bytesBuffered;
    private long rowCount;
    private final AtomicLong bytesSent = new AtomicLong();

    public PartitionUpsert(
            OdpsTableClient client,
            String partition,
            UpsertNetwork network,
            long maxBlockBytes,
            long maxBlockRows)
            throws IOException {
        this.client = client;
        this.partition = partition;
        this.session = client.createUpsertSession(partition, network);
        try {
            UpsertStream.Builder builder = session.buildUpsertStream();
            UpsertStream.Listener retrying = builder.getListener();
            this.stream =
                    builder.setSlotBufferSize(maxBlockBytes)
                            .setMaxBufferSize(Math.max(MIN_STREAM_BUFFER_BYTES, maxBlockBytes))
                            .setListener(new CountingListener(retrying))
                            .build();
        } catch (Exception e) {
            session.close();
            throw new IOException("Could not open an upsert stream for " + describe(), e);
        }
        this.record = session.newRecord();
        this.columnCount = record.getColumnCount();
        this.maxBufferedRows = maxBlockRows;
    }

    @Override
    public String partition() {
        return partition;
    }

    @Override
    public String sessionId() {
        return session.getId();
    }

    /** One record per session: the stream encodes each change at once. */
    @Override
    public Record clearedRecord() {
        for (int i = 0; i < columnCount; i++) {
            record.set(i, null);
        }
        return record;
    }

    @Override
    public void write(Record record) throws IOException {
        send("upsert a row into ", () -> stream.upsert(record));
        counted(record);
    }

    @Override
    public void delete(Record record) throws IOException {
        send("delete a row from ", () -> stream.delete(record));
        counted(record);
    }

    private void counted(Record record) throws IOException {
        rowCount++;
        bytesBuffered += RecordSizes.estimate(record);
        if (++rowsBuffered >= maxBufferedRows) {
            flush();
        }
    }

    @Override
    public long rowCount() {
        return rowCount;
    }

    @Override
    public long bytesSent() {
        return bytesSent.get();
    }

    @Override
    public long bufferedBytes() {
        return bytesBuffered;
    }

    /** Sends every bucket's buffer. */
    @Override
    public void flush() throws IOException {
        send("send the buffered changes of ", stream::flush);
        rowsBuffered = 0;
        bytesBuffered = 0;
    }

    /**
     * Runs a stream call without retrying it here: the stream retries failed sends itself (through
     * the SDK's listener) and refuses further calls once it gave up, and a change may already be
     * buffered when a send fails.
     */
    private void send(String what, StreamCall call) throws IOException {
        try {
            call.run();
        } catch (Exception e) {
            throw new IOException("Could not " + what + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OdpsCommittable toCommittable(String project) throws IOException {
        flush();
        session.close();
        return OdpsCommittable.ofUpsertSession(
                project, client.tableName(), partition, session.getId(), rowCount);
    }

    @Override
    public void commitNow() throws IOException {
        flush();
        try {
            client.call(
                    "commit " + describe(),
                    () -> {
                        session.commit(false);
                        return null;
                    });
        } finally {
            session.close();
        }
    }

    /** Aborts the session, so the service drops what it holds for it at once. */
    @Override
    public void abandon() {
        try {
            session.abort();
        } catch (Exception e) {
            LOG.info("Could not abort {}; it will expire: {}", describe(), e.getMessage());
        } finally {
            session.close();
        }
    }

    private String describe() {
        return "upsert session " + session.getId() + " of " + client.describe(partition);
    }

    private interface StreamCall {
        void run() throws Exception;
    }

    /** Counts the bytes the stream sent; failures go to the SDK's retrying listener. */
    private final class CountingListener implements UpsertStream.Listener {
        private final UpsertStream.Listener retrying;

        CountingListener(UpsertStream.Listener retrying) {
            this.retrying = retrying;
        }

        @Override
        public void onFlush(UpsertStream.FlushResult result) {
            bytesSent.addAndGet(result.flushSize);
        }

        @Override
        public boolean onFlushFail(Exception error, int retry) {
            return retrying.onFlushFail(error, retry);
        }
    }
}
