package org.flinkconnectors.streams.source.enumerator;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SplitOwnershipTest {

    @Test
    void partitionsOfOneTopicSpreadOverAllReaders() {
        Set<Integer> owners = new HashSet<>();
        for (int p = 0; p < 4; p++) {
            owners.add(StreamsSourceEnumerator.ownerOf(new TopicPartition("orders", p), 4));
        }
        assertThat(owners).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void ownerIsStableAndInRange() {
        for (String topic : new String[] {"a", "orders", "zzzzzzzzzzzzzzzzzzzzzzzzzzzz", ""}) {
            for (int p = 0; p < 50; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                int owner = StreamsSourceEnumerator.ownerOf(tp, 7);
                assertThat(owner).isBetween(0, 6);
                assertThat(StreamsSourceEnumerator.ownerOf(tp, 7)).isEqualTo(owner);
            }
        }
    }
}
