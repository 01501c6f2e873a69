package org.flinkconnectors.streams.sink.partitioner;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Chooses the Kafka partition of a record on the Flink side. Without one, the producer's own
 * partitioner decides (murmur2 of the key, sticky batches for records without a key).
 */
@PublicEvolving
public interface StreamsPartitioner<T> extends Serializable {

    /** Called once per writer before the first {@link #partition}. */
    default void open(int parallelInstanceId, int parallelInstances) {}

    /**
     * @param partitions the partition ids of {@code topic}, never empty
     * @return one of {@code partitions}
     */
    int partition(
            T element,
            @Nullable byte[] key,
            @Nullable byte[] value,
            String topic,
            int[] partitions);
}
