package org.flinkconnectors.odps.sink.internal;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.sink.OdpsCommittable;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.aliyun.odps.tunnel.io.ProtobufRecordPack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows one writer sends to one partition within one checkpoint: a tunnel upload session whose
 * blocks are filled from an in-memory record pack and uploaded when the pack reaches the block size
 * or row limit, or when the writer's memory budget asks for it. Block ids are the session's own (0,
 * 1, ...); re-sending a block id replaces it, so a retried upload never duplicates rows.
 *
 * <p>The buffered bytes are an estimate: the encoded (compressed, by default) bytes in the pack's
 * array, plus, for the rows appended since that size last grew, their {@link RecordSizes estimated}
 * size, since the encoder and compressor hold some kilobytes before they write to the array. Each
 * block gets a new pack: a reset pack would keep its array at the largest size it ever had, memory
 * the budget would no longer see.
 */
@Internal
public final class PartitionUpload implements PartitionWrite {

    private final OdpsTableClient client;
    private final String partition;
    private final TableTunnel.UploadSession session;
    private final boolean compress;
    private ProtobufRecordPack pack;
    private final long maxBlockBytes;
    private final long maxBlockRows;
    private final List<Long> blocks = new ArrayList<>();
    private final ArrayRecord record;
    private long rowsInPack;
    private long packBytes;
    private long pendingBytes;
    private long rowCount;
    private long bytesSent;

    public PartitionUpload(
            OdpsTableClient client,
            String partition,
            boolean overwrite,
            long maxBlockBytes,
            long maxBlockRows,
            boolean compress)
            throws IOException {
        this.client = client;
        this.partition = partition;
        this.session = client.createUploadSession(partition, overwrite);
        this.compress = compress;
        this.pack = newPack();
        this.record = (ArrayRecord) session.newRecord();
        this.maxBlockBytes = maxBlockBytes;
        this.maxBlockRows = maxBlockRows;
    }

    @Override
    public String partition() {
        return partition;
    }

    @Override
    public String sessionId() {
        return session.getId();
    }

    /**
     * The record to fill for the next row, emptied. One per upload is enough because {@link
     * #append} encodes the row into the pack at once.
     */
    @Override
    public Record clearedRecord() {
        record.clear();
        return record;
    }

    @Override
    public void write(Record record) throws IOException {
        pack.append(record);
        long total = pack.getTotalBytes();
        if (total != packBytes) {
            packBytes = total;
            pendingBytes = 0;
        } else {
            pendingBytes += RecordSizes.estimate(record);
        }
        rowsInPack++;
        rowCount++;
        if (rowsInPack >= maxBlockRows || pack.getTotalBytes() >= maxBlockBytes) {
            sendBlock();
        }
    }

    @Override
    public void delete(Record record) {
        throw new UnsupportedOperationException(
                "Upload sessions only append; deletes need an upsert sink.");
    }

    @Override
    public long rowCount() {
        return rowCount;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long bufferedBytes() {
        return packBytes + pendingBytes;
    }

    /** Sends the rows not yet in a block. */
    @Override
    public void flush() throws IOException {
        if (rowsInPack > 0) {
            sendBlock();
        }
    }

    /** Flushes and describes the session for the committer. */
    @Override
    public OdpsCommittable toCommittable(String project) throws IOException {
        flush();
        long[] ids = new long[blocks.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = blocks.get(i);
        }
        return new OdpsCommittable(
                project, client.tableName(), partition, session.getId(), ids, rowCount, bytesSent);
    }

    /** Flushes and commits the session itself (at-least-once mode). */
    @Override
    public void commitNow() throws IOException {
        flush();
        Long[] ids = blocks.toArray(new Long[0]);
        client.call(
                "commit upload session " + session.getId() + " of " + client.describe(partition),
                () -> {
                    session.commit(ids);
                    return null;
                });
    }

    /** Nothing to release: an uncommitted upload session expires on the service. */
    @Override
    public void abandon() {}

    private void sendBlock() throws IOException {
        long blockId = blocks.size();
        client.call(
                "upload block " + blockId + " to " + client.describe(partition),
                () -> {
                    session.writeBlock(blockId, pack);
                    return null;
                });
        // Read after the upload: it completes the pack, flushing what the compressor still held
        // (a small block reported 0 bytes before).
        bytesSent += pack.getTotalBytes();
        blocks.add(blockId);
        pack = newPack();
        rowsInPack = 0;
        packBytes = 0;
        pendingBytes = 0;
    }

    private ProtobufRecordPack newPack() throws IOException {
        return new ProtobufRecordPack(
                session.getSchema(),
                null,
                compress
                        ? new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, 1, 0)
                        : null);
    }
}
