package org.flinkconnectors.base.testutils;

import org.apache.flink.connector.testframe.TestResource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in the current JVM, usable as a JUnit 5 extension, as a
 * Flink connector-testing-framework {@link TestResource}, or by hand (demo, benchmarks).
 */
public class EmbeddedKafkaCluster implements TestResource, BeforeAllCallback, AfterAllCallback {

    private KafkaClusterTestKit cluster;

    @Override
    public void startUp() throws Exception {
        if (cluster != null) {
            return;
        }
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
        KafkaClusterTestKit kit =
                new KafkaClusterTestKit.Builder(nodes)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("transaction.state.log.num.partitions", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .setConfigProp("num.partitions", "1")
                        .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        cluster = kit;
    }

    @Override
    public void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        startUp();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        tearDown();
    }

    public String bootstrapServers() {
        if (cluster == null) {
            throw new IllegalStateException("The embedded Kafka cluster is not running.");
        }
        return cluster.bootstrapServers();
    }

    /** Client properties pointing at this broker. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    public Admin admin() {
        return Admin.create(clientProperties());
    }

    public void createTopic(String topic, int partitions) throws Exception {
        createTopic(topic, partitions, Map.of());
    }

    public void createTopic(String topic, int partitions, Map<String, String> configs)
            throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    public void increasePartitions(String topic, int totalPartitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(totalPartitions)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    public void deleteTopic(String topic) throws Exception {
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }
}
