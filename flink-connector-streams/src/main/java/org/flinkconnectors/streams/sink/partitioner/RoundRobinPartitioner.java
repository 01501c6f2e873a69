package org.flinkconnectors.streams.sink.partitioner;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Spreads records evenly over all partitions, one record at a time, whatever their key. Each writer
 * starts at a different partition so that small streams still spread out.
 */
@PublicEvolving
public class RoundRobinPartitioner<T> implements StreamsPartitioner<T> {

    private static final long serialVersionUID = 1L;

    private int next;

    @Override
    public void open(int parallelInstanceId, int parallelInstances) {
        next = parallelInstanceId;
    }

    @Override
    public int partition(T element, byte[] key, byte[] value, String topic, int[] partitions) {
        int partition = partitions[Math.floorMod(next, partitions.length)];
        next = Math.floorMod(next + 1, partitions.length);
        return partition;
    }
}
