package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;
import org.apache.flink.streaming.api.CheckpointingMode;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Runs Flink's sink test suite against our sink: one fresh topic per test case. */
class StreamsSinkExternalContext implements DataStreamSinkV2ExternalContext<String> {

    private static final int PARTITIONS = 4;

    private final EmbeddedKafkaCluster kafka;
    private final String topic;
    private final List<KafkaConsumer<String, String>> readers = new ArrayList<>();
    private boolean topicCreated;

    StreamsSinkExternalContext(EmbeddedKafkaCluster kafka) {
        this.kafka = kafka;
        this.topic = "sink-suite-" + ThreadLocalRandom.current().nextInt(1_000_000_000);
    }

    private void ensureTopic() {
        if (!topicCreated) {
            try {
                kafka.createTopic(topic, PARTITIONS);
            } catch (Exception e) {
                throw new IllegalStateException("Could not create topic " + topic, e);
            }
            topicCreated = true;
        }
    }

    @Override
    public Sink<String> createSink(TestingSinkSettings settings) {
        ensureTopic();
        DeliveryGuarantee guarantee =
                settings.getCheckpointingMode() == CheckpointingMode.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        return StreamsSink.<String>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(topic)
                .setRecordSerializer(
                        StreamsRecordSerializationSchema.<String>builder()
                                .setTopic(topic)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                .build();
    }

    @Override
    public ExternalSystemDataReader<String> createSinkDataReader(TestingSinkSettings settings) {
        ensureTopic();
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions =
                IntStream.range(0, PARTITIONS)
                        .mapToObj(p -> new TopicPartition(topic, p))
                        .collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        readers.add(consumer);
        return new ExternalSystemDataReader<>() {
            @Override
            public List<String> poll(Duration timeout) {
                List<String> values = new ArrayList<>();
                for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
                    values.add(r.value());
                }
                return values;
            }

            @Override
            public void close() {
                consumer.close();
                readers.remove(consumer);
            }
        };
    }

    @Override
    public List<String> generateTestData(TestingSinkSettings settings, long seed) {
        Random random = new Random(seed);
        int count = 200 + random.nextInt(300);
        List<String> data = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            data.add(i + "-" + Long.toHexString(random.nextLong()));
        }
        return data;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return TypeInformation.of(String.class);
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return Collections.emptyList();
    }

    @Override
    public void close() throws Exception {
        for (KafkaConsumer<String, String> consumer : new ArrayList<>(readers)) {
            consumer.close();
        }
        readers.clear();
        if (topicCreated) {
            kafka.deleteTopic(topic);
        }
    }

    @Override
    public String toString() {
        return "Streams sink on an embedded KRaft broker";
    }
}
