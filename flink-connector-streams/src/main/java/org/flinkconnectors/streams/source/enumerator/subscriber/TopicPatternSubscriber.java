package org.flinkconnectors.streams.source.enumerator.subscriber;

import org.flinkconnectors.streams.source.enumerator.admin.RetryingAdmin;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Subscribes to every non-internal topic whose whole name matches a pattern. No match is not an
 * error: with partition discovery the source starts reading once a matching topic is created.
 */
final class TopicPatternSubscriber implements StreamsSubscriber {

    private static final long serialVersionUID = 1L;

    private final Pattern pattern;

    TopicPatternSubscriber(Pattern pattern) {
        this.pattern = pattern;
    }

    @Override
    public Set<TopicPartition> getSubscribedTopicPartitions(RetryingAdmin admin)
            throws IOException {
        Collection<TopicDescription> descriptions =
                admin.call(
                        "describe the topics matching '" + pattern + "'",
                        a -> {
                            List<String> matching =
                                    RetryingAdmin.await(a.listTopics().names()).stream()
                                            .filter(t -> pattern.matcher(t).matches())
                                            .collect(Collectors.toList());
                            return RetryingAdmin.await(a.describeTopics(matching).allTopicNames())
                                    .values();
                        });
        return StreamsSubscriber.partitionsOf(descriptions);
    }

    @Override
    public String toString() {
        return "topic-pattern(" + pattern + ")";
    }
}
