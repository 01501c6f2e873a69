package org.flinkconnectors.streams.source.enumerator;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.source.enumerator.subscriber.StreamsSubscriber;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The enumerator against a real broker, driven through Flink's testing enumerator context. */
class StreamsSourceEnumeratorITCase {

    @RegisterExtension static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    private static int topicCounter;

    @Test
    void boundedAssignsToOwnersAsTheyRegisterAndSignalsNoMoreSplits() throws Exception {
        String topic = newTopic(4);
        TestingSplitEnumeratorContext<StreamsPartitionSplit> context =
                new TestingSplitEnumeratorContext<>(2);
        try (StreamsSourceEnumerator enumerator =
                enumerator(
                        topic,
                        OffsetsInitializer.earliest(),
                        OffsetsInitializer.latest(),
                        context,
                        StreamsEnumState.initial())) {
            enumerator.start();
            register(context, enumerator, 0);
            context.triggerAllActions();

            assertThat(assignedPartitions(context, 0))
                    .containsExactlyInAnyOrderElementsOf(owned(topic, 4, 2, 0));
            assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal())
                    .isTrue();
            assertThat(context.getSplitAssignments()).doesNotContainKey(1);
            assertThat(enumerator.snapshotState(1).getUnassignedSplits()).hasSize(2);

            register(context, enumerator, 1);

            assertThat(assignedPartitions(context, 1))
                    .containsExactlyInAnyOrderElementsOf(owned(topic, 4, 2, 1));
            assertThat(context.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal())
                    .isTrue();
            StreamsEnumState state = enumerator.snapshotState(2);
            assertThat(state.getAssignedSplits()).hasSize(4);
            assertThat(state.getUnassignedSplits()).isEmpty();
            assertThat(state.isInitialDiscoveryFinished()).isTrue();
        }
    }

    @Test
    void splitsGivenBackAreAssignedAgain() throws Exception {
        String topic = newTopic(2);
        produce(topic, 0, 3);
        TestingSplitEnumeratorContext<StreamsPartitionSplit> context =
                new TestingSplitEnumeratorContext<>(1);
        try (StreamsSourceEnumerator enumerator =
                enumerator(
                        topic,
                        OffsetsInitializer.earliest(),
                        null,
                        context,
                        StreamsEnumState.initial())) {
            enumerator.start();
            register(context, enumerator, 0);
            context.getExecutorService().triggerPeriodicScheduledTasks();
            List<StreamsPartitionSplit> first =
                    new ArrayList<>(context.getSplitAssignments().get(0).getAssignedSplits());
            assertThat(first).hasSize(2);

            // The testing context cannot unregister a reader, so the returned splits go straight
            // back to the (still registered) owner; pending splits are covered by the test above.
            enumerator.addSplitsBack(first, 0);
            assertThat(context.getSplitAssignments().get(0).getAssignedSplits())
                    .hasSize(4)
                    .containsAll(first);
            assertThat(enumerator.snapshotState(2).getUnassignedSplits()).isEmpty();
            // Unbounded: readers are never told that no more splits come.
            assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal())
                    .isFalse();
        }
    }

    @Test
    void partitionsFoundAfterTheFirstDiscoveryStartFromEarliest() throws Exception {
        String topic = newTopic(1);
        produce(topic, 0, 5);
        TestingSplitEnumeratorContext<StreamsPartitionSplit> context =
                new TestingSplitEnumeratorContext<>(1);
        StreamsEnumState checkpoint;
        try (StreamsSourceEnumerator enumerator =
                enumerator(
                        topic,
                        OffsetsInitializer.latest(),
                        null,
                        context,
                        StreamsEnumState.initial())) {
            enumerator.start();
            register(context, enumerator, 0);
            context.getExecutorService().triggerPeriodicScheduledTasks();
            assertThat(context.getSplitAssignments().get(0).getAssignedSplits())
                    .containsExactly(new StreamsPartitionSplit(new TopicPartition(topic, 0), 5));
            checkpoint = enumerator.snapshotState(1);
        }

        KAFKA.increasePartitions(topic, 2);
        produce(topic, 1, 3);

        TestingSplitEnumeratorContext<StreamsPartitionSplit> restored =
                new TestingSplitEnumeratorContext<>(1);
        try (StreamsSourceEnumerator enumerator =
                enumerator(topic, OffsetsInitializer.latest(), null, restored, checkpoint)) {
            enumerator.start();
            register(restored, enumerator, 0);
            restored.getExecutorService().triggerPeriodicScheduledTasks();

            // Partition 0 is known from the checkpoint; the new partition 1 starts at offset 0.
            assertThat(restored.getSplitAssignments().get(0).getAssignedSplits())
                    .containsExactly(new StreamsPartitionSplit(new TopicPartition(topic, 1), 0));
        }
    }

    // ------------------------------------------------------------------------------------------

    private static StreamsSourceEnumerator enumerator(
            String topic,
            OffsetsInitializer start,
            @Nullable OffsetsInitializer stop,
            TestingSplitEnumeratorContext<StreamsPartitionSplit> context,
            StreamsEnumState state) {
        Properties props = new Properties();
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return new StreamsSourceEnumerator(
                StreamsSubscriber.topics(List.of(topic)),
                start,
                stop,
                props,
                "enumerator-test",
                stop == null ? 1000 : -1,
                stop == null ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED,
                context,
                state);
    }

    private static void register(
            TestingSplitEnumeratorContext<StreamsPartitionSplit> context,
            StreamsSourceEnumerator enumerator,
            int subtask) {
        context.registerReader(subtask, "localhost");
        enumerator.addReader(subtask);
    }

    private static List<TopicPartition> assignedPartitions(
            TestingSplitEnumeratorContext<StreamsPartitionSplit> context, int subtask) {
        return context.getSplitAssignments().get(subtask).getAssignedSplits().stream()
                .map(StreamsPartitionSplit::getTopicPartition)
                .collect(Collectors.toList());
    }

    private static List<TopicPartition> owned(
            String topic, int partitions, int parallelism, int reader) {
        List<TopicPartition> result = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            if (StreamsSourceEnumerator.ownerOf(tp, parallelism) == reader) {
                result.add(tp);
            }
        }
        return result;
    }

    private static String newTopic(int partitions) throws Exception {
        String topic = "enumerator-" + (++topicCounter) + "-" + System.nanoTime();
        KAFKA.createTopic(topic, partitions);
        return topic;
    }

    private static void produce(String topic, int partition, int count) {
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, "v" + i));
            }
            producer.flush();
        }
    }
}
