package org.flinkconnectors.streams.source.enumerator.subscriber;

import org.flinkconnectors.streams.source.enumerator.admin.RetryingAdmin;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which topic partitions the source reads. The enumerator asks again at every partition discovery,
 * so partitions added to a topic, and topics that start to match a pattern, are picked up.
 */
@Internal
public interface StreamsSubscriber extends Serializable {

    /** The partitions to read now. */
    Set<TopicPartition> getSubscribedTopicPartitions(RetryingAdmin admin) throws IOException;

    /** Reads the named topics, which must exist. */
    static StreamsSubscriber topics(List<String> topics) {
        return new TopicListSubscriber(topics);
    }

    /** Reads every non-internal topic whose whole name matches {@code pattern}. */
    static StreamsSubscriber pattern(Pattern pattern) {
        return new TopicPatternSubscriber(pattern);
    }

    /** All partitions of the described topics. */
    static Set<TopicPartition> partitionsOf(Collection<TopicDescription> descriptions) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (TopicDescription description : descriptions) {
            description
                    .partitions()
                    .forEach(
                            info ->
                                    partitions.add(
                                            new TopicPartition(
                                                    description.name(), info.partition())));
        }
        return partitions;
    }
}
