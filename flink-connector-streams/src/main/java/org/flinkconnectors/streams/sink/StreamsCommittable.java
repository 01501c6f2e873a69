package org.flinkconnectors.streams.sink;

import org.apache.flink.annotation.Internal;

import java.util.Objects;

/**
 * A Kafka transaction that holds one checkpoint's records of one writer and waits to be committed:
 * its transactional id, the producer id and epoch the broker gave it, and the checkpoint it was
 * prepared for ({@link #UNKNOWN_CHECKPOINT} when restored from a version-1 state), and the records
 * and bytes it holds, for the committer's metrics (0 when restored from a state before version 3).
 */
@Internal
public final class StreamsCommittable {

    /** The checkpoint id of committables written before the id was recorded. */
    public static final long UNKNOWN_CHECKPOINT = -1L;

    private final String transactionalId;
    private final long producerId;
    private final short epoch;
    private final long checkpointId;
    private final long recordCount;
    private final long byteCount;

    /** A committable whose record and byte counts are unknown (0). */
    public StreamsCommittable(
            String transactionalId, long producerId, short epoch, long checkpointId) {
        this(transactionalId, producerId, epoch, checkpointId, 0, 0);
    }

    public StreamsCommittable(
            String transactionalId,
            long producerId,
            short epoch,
            long checkpointId,
            long recordCount,
            long byteCount) {
        this.transactionalId = Objects.requireNonNull(transactionalId);
        this.producerId = producerId;
        this.epoch = epoch;
        this.checkpointId = checkpointId;
        this.recordCount = recordCount;
        this.byteCount = byteCount;
    }

    public String getTransactionalId() {
        return transactionalId;
    }

    public long getProducerId() {
        return producerId;
    }

    public short getEpoch() {
        return epoch;
    }

    public long getCheckpointId() {
        return checkpointId;
    }

    /** The records sent in the transaction; 0 if unknown. */
    public long getRecordCount() {
        return recordCount;
    }

    /** The key and value bytes of the records sent in the transaction; 0 if unknown. */
    public long getByteCount() {
        return byteCount;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StreamsCommittable)) {
            return false;
        }
        StreamsCommittable that = (StreamsCommittable) o;
        return producerId == that.producerId
                && epoch == that.epoch
                && checkpointId == that.checkpointId
                && recordCount == that.recordCount
                && byteCount == that.byteCount
                && transactionalId.equals(that.transactionalId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                transactionalId, producerId, epoch, checkpointId, recordCount, byteCount);
    }

    @Override
    public String toString() {
        return "StreamsCommittable{transactionalId='"
                + transactionalId
                + "', producerId="
                + producerId
                + ", epoch="
                + epoch
                + ", checkpointId="
                + (checkpointId == UNKNOWN_CHECKPOINT ? "unknown" : checkpointId)
                + ", records="
                + recordCount
                + ", bytes="
                + byteCount
                + '}';
    }
}
