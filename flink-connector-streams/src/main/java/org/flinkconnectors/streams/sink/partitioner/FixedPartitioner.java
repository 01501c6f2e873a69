package org.flinkconnectors.streams.sink.partitioner;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

/**
 * Sends everything a writer subtask writes to one partition: subtask {@code i} writes to partition
 * {@code i % partitions}. Keeps the per-subtask order, like the official connector's {@code fixed}.
 */
@PublicEvolving
public class FixedPartitioner<T> implements StreamsPartitioner<T> {

    private static final long serialVersionUID = 1L;

    private int parallelInstanceId = -1;

    @Override
    public void open(int parallelInstanceId, int parallelInstances) {
        Preconditions.checkArgument(parallelInstanceId >= 0, "negative subtask index");
        this.parallelInstanceId = parallelInstanceId;
    }

    @Override
    public int partition(T element, byte[] key, byte[] value, String topic, int[] partitions) {
        Preconditions.checkState(parallelInstanceId >= 0, "open() was not called");
        return partitions[parallelInstanceId % partitions.length];
    }
}
