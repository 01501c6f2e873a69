package org.flinkconnectors.odps.sink.internal;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.client.UpsertNetwork;
import org.flinkconnectors.odps.client.UpsertSendRetries;
import org.flinkconnectors.odps.sink.OdpsCommittable;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
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
 * <p>A failed send is retried inside the stream, never by calling the stream again: the stream
 * keeps each bucket's encoded buffer until the service acknowledged it, and after a failed attempt
 * sends exactly the unacknowledged buffers again, once every request of the attempt has ended. A
 * refused connection is retried before anything is sent on it. Both follow {@code
 * client.max-retries} and its backoff ({@link UpsertSendRetries}); once they give up, the stream
 * takes no more changes and the error names the session, the partition and the retries. Only a
 * request whose answer was lost can reach the service twice: the bucket's changes then follow
 * themselves in the session, which leaves the same last change per key.
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
    private final UpsertSendRetries retries;
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
        this.retries = client.newUpsertSendRetries();
        this.session = client.createUpsertSession(partition, network, retries);
        try {
            this.stream =
                    session.buildUpsertStream()
                            .setSlotBufferSize(maxBlockBytes)
                            .setMaxBufferSize(Math.max(MIN_STREAM_BUFFER_BYTES, maxBlockBytes))
                            .setListener(new SendListener())
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
     * Runs a stream call once: its sends were retried inside it ({@link SendListener}, {@link
     * UpsertSendRetries}). Calling it again is not a retry: a change may already be buffered when a
     * send fails, and a stream whose retries gave up refuses further calls.
     */
    private void send(String what, StreamCall call) throws IOException {
        try {
            call.run();
        } catch (Exception e) {
            throw new IOException("Could not " + what + describe() + ": " + retries.explain(e), e);
        }
    }

    @Override
    public OdpsCommittable toCommittable(String project) throws IOException {
        flush();
        session.close();
        return OdpsCommittable.ofUpsertSession(
                project, client.tableName(), partition, session.getId(), rowCount, bytesSent.get());
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

    /**
     * Counts the bytes the stream sent and decides whether it sends failed buckets again. It
     * replaces the SDK's default listener, which retried 5xx up to 8 times over about two minutes,
     * 429 and 308 without limit, and a request without an answer not at once (this connector's
     * tunnel has no retry policy), and keeps what that listener did besides: after a gateway error
     * it reloads the session, whose bucket routes may have moved.
     */
    private final class SendListener implements UpsertStream.Listener {

        @Override
        public void onFlush(UpsertStream.FlushResult result) {
            bytesSent.addAndGet(result.flushSize);
        }

        @Override
        public boolean onFlushFail(Exception error, int retry) {
            if (UpsertSendRetries.isGatewayError(error)) {
                reloadRoutes();
            }
            return retries.retrySend(error, retry, describe());
        }

        private void reloadRoutes() {
            try {
                session.getStatus(); // reloads the session, its bucket routes too
            } catch (TunnelException e) {
                LOG.info("Could not reload the routes of {}: {}", describe(), e.getMessage());
            }
        }
    }
}
