package org.flinkconnectors.streams.sink.internal;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Resuming a transaction from another producer instance against a real broker. */
class TransactionalProducerITCase {

    @RegisterExtension static final EmbeddedKafkaCluster KAFKA = new EmbeddedKafkaCluster();

    @Test
    void aResumedTransactionCommitsTheRecordsOfTheOriginalProducer() throws Exception {
        String topic = "resume-commit";
        KAFKA.createTopic(topic, 2);

        ProducerIdAndEpoch ids;
        try (TransactionalProducer writer = new TransactionalProducer(props(), "t-resume-1")) {
            writer.initTransactions();
            writer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                writer.send(new ProducerRecord<>(topic, i % 2, null, bytes("r" + i)));
            }
            writer.flush();
            ids = writer.producerIdAndEpoch();
            assertThat(readCommitted(topic, Duration.ofSeconds(1))).isEmpty();
            // writer is closed without committing, as a failed task would be
        }

        try (TransactionalProducer committer = new TransactionalProducer(props(), "t-resume-1")) {
            committer.resumeTransaction(ids.producerId, ids.epoch);
            committer.commitTransaction();
        }

        assertThat(readCommitted(topic, Duration.ofSeconds(5))).hasSize(10);

        // A second commit of the same transaction (a retried recovery) succeeds on transaction
        // protocol v1; on v2 (KIP-890, this broker) the first commit may have bumped the epoch,
        // and the broker refuses the second as fenced. StreamsCommitter tells that apart from a
        // lost transaction by asking the broker (StreamsCommitterITCase); here the records must
        // stay committed once either way.
        try (TransactionalProducer again = new TransactionalProducer(props(), "t-resume-1")) {
            again.resumeTransaction(ids.producerId, ids.epoch);
            again.commitTransaction();
        } catch (ProducerFencedException refusedOnV2) {
            // see above
        }
        assertThat(readCommitted(topic, Duration.ofSeconds(2))).hasSize(10);
    }

    private static Properties props() {
        Properties p = KAFKA.clientProperties();
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        return p;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readCommitted(String topic, Duration wait) {
        Properties p = KAFKA.clientProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions =
                    List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
