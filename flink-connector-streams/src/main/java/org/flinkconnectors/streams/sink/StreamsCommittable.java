package org.flinkconnectors.streams.sink;

import org.apache.flink.annotation.Internal;

import java.util.Objects;

/**
 * A Kafka transaction that holds one checkpoint's records of one writer and waits to be committed:
 * its transactional id and the producer id and epoch the broker gave it.
 */
@Internal
public final class StreamsCommittable {

    private final String transactionalId;
    private final long producerId;
    private final short epoch;

    public StreamsCommittable(String transactionalId, long producerId, short epoch) {
        this.transactionalId = Objects.requireNonNull(transactionalId);
        this.producerId = producerId;
        this.epoch = epoch;
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
                && transactionalId.equals(that.transactionalId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transactionalId, producerId, epoch);
    }

    @Override
    public String toString() {
        return "StreamsCommittable{transactionalId='"
                + transactionalId
                + "', producerId="
                + producerId
                + ", epoch="
                + epoch
                + '}';
    }
}
