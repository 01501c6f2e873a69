package org.flinkconnectors.streams.sink.partitioner;

import org.apache.flink.annotation.PublicEvolving;

import java.util.HashMap;
import java.util.Map;

/**
 * Spreads records evenly over the partitions of each topic, one record at a time, whatever their
 * key. Each writer starts at a different partition so that small streams still spread out.
 */
@PublicEvolving
public class RoundRobinPartitioner<T> implements StreamsPartitioner<T> {

    private static final long serialVersionUID = 1L;

    private int start;
    private transient Map<String, Integer> next;

    @Override
    public void open(int parallelInstanceId, int parallelInstances) {
        start = parallelInstanceId;
    }

    @Override
    public int partition(T element, byte[] key, byte[] value, String topic, int[] partitions) {
        if (next == null) {
            next = new HashMap<>();
        }
        int position = next.getOrDefault(topic, start);
        next.put(topic, Math.floorMod(position + 1, partitions.length));
        return partitions[Math.floorMod(position, partitions.length)];
    }
}
