package org.flinkconnectors.streams.util;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClassNamesTest {

    private static final String ORIGINAL = "org.apache.kafka.";
    private static final String SHADED = "org.flinkconnectors.streams.shaded.org.apache.kafka.";

    @Test
    void rewritesKafkaClassNamesForTheRelocatedClient() {
        Properties props = new Properties();
        props.setProperty(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=u;");
        props.setProperty(
                "partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner");
        props.setProperty("bootstrap.servers", "broker:9092");

        Properties relocated = KafkaClassNames.relocate(props, ORIGINAL, SHADED);

        assertThat(relocated.getProperty("sasl.jaas.config"))
                .startsWith(SHADED + "common.security.plain.PlainLoginModule required");
        assertThat(relocated.getProperty("partitioner.class"))
                .isEqualTo(SHADED + "clients.producer.RoundRobinPartitioner");
        assertThat(relocated.getProperty("bootstrap.servers")).isEqualTo("broker:9092");
    }

    @Test
    void leavesAlreadyRelocatedNamesAlone() {
        Properties props = new Properties();
        props.setProperty("sasl.login.class", SHADED + "common.security.oauthbearer.Login");

        assertThat(
                        KafkaClassNames.relocate(props, ORIGINAL, SHADED)
                                .getProperty("sasl.login.class"))
                .isEqualTo(SHADED + "common.security.oauthbearer.Login");
    }

    @Test
    void isANoOpOutsideTheSqlJar() {
        Properties props = new Properties();
        props.setProperty(
                "partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner");

        assertThat(KafkaClassNames.relocate(props)).isSameAs(props);
    }
}
