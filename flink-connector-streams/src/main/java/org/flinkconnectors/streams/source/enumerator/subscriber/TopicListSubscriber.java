package org.flinkconnectors.streams.source.enumerator.subscriber;

import org.flinkconnectors.streams.source.enumerator.admin.RetryingAdmin;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Subscribes to a fixed list of topics. A missing topic is reported by name; because a topic that
 * was just created may not yet be known to every broker, the check is retried before it fails.
 */
final class TopicListSubscriber implements StreamsSubscriber {

    private static final long serialVersionUID = 1L;

    private final ArrayList<String> topics;

    TopicListSubscriber(List<String> topics) {
        this.topics = new ArrayList<>(topics);
    }

    @Override
    public Set<TopicPartition> getSubscribedTopicPartitions(RetryingAdmin admin)
            throws IOException {
        Map<String, TopicDescription> descriptions =
                admin.call(
                        "describe the topics " + topics,
                        a -> {
                            Set<String> existing = RetryingAdmin.await(a.listTopics().names());
                            List<String> missing =
                                    topics.stream()
                                            .filter(t -> !existing.contains(t))
                                            .collect(Collectors.toList());
                            if (!missing.isEmpty()) {
                                // Retriable, so the admin retries before reporting it.
                                throw new UnknownTopicOrPartitionException(
                                        "The topic(s) "
                                                + missing
                                                + " do not exist. Create them or correct the"
                                                + " topic list of the source.");
                            }
                            return RetryingAdmin.await(a.describeTopics(topics).allTopicNames());
                        });
        return StreamsSubscriber.partitionsOf(descriptions.values());
    }

    @Override
    public String toString() {
        return "topics" + topics;
    }
}
