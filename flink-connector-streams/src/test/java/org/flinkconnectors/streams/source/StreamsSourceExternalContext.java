package org.flinkconnectors.streams.source;

import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Connector-testing-framework context for the source: one topic per test case, and every split data
 * writer adds one partition to it and writes there with a plain producer.
 */
class StreamsSourceExternalContext implements DataStreamSourceExternalContext<String> {

    private static final String ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final String bootstrapServers;
    private final String topic;
    private final List<PartitionWriter> writers = new ArrayList<>();

    StreamsSourceExternalContext(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.topic = StreamsTestData.uniqueName("suite");
    }

    @Override
    public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
        StreamsSourceBuilder<String> builder =
                StreamsSource.<String>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topic)
                        .setGroupId(topic + "-group")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setPartitionDiscoveryInterval(Duration.ofSeconds(1))
                        .setValueOnlyDeserializer(new SimpleStringSchema());
        if (settings.getBoundedness() == Boundedness.BOUNDED) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    @Override
    public ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(
            TestingSourceSettings settings) {
        int partition = writers.size();
        try (Admin admin = admin()) {
            if (partition == 0) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } else {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partition + 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new RuntimeException("Could not add partition " + partition + " to " + topic, e);
        }
        PartitionWriter writer = new PartitionWriter(partition);
        writers.add(writer);
        return writer;
    }

    @Override
    public List<String> generateTestData(
            TestingSourceSettings settings, int splitIndex, long seed) {
        Random random = new Random(seed);
        int count = 50 + random.nextInt(100);
        List<String> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder value = new StringBuilder("split" + splitIndex + "-" + i + "-");
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            records.add(value.toString());
        }
        return records;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of();
    }

    @Override
    public void close() throws Exception {
        for (PartitionWriter writer : writers) {
            writer.close();
        }
        if (!writers.isEmpty()) {
            try (Admin admin = admin()) {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return "StreamsSourceExternalContext{topic=" + topic + '}';
    }

    private Admin admin() {
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(props);
    }

    /** Writes one split's records to its own partition, synchronously. */
    private final class PartitionWriter implements ExternalSystemSplitDataWriter<String> {

        private final int partition;
        private final KafkaProducer<String, String> producer;

        PartitionWriter(int partition) {
            this.partition = partition;
            Properties props = new Properties();
            props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.setProperty(
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.setProperty(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
            this.producer = new KafkaProducer<>(props);
        }

        @Override
        public void writeRecords(List<String> records) {
            for (String record : records) {
                producer.send(new ProducerRecord<>(topic, partition, null, record));
            }
            producer.flush();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
