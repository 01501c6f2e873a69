package org.flinkconnectors.base.options;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingTest {

    @Test
    void masksCredentialKeysAndKeepsTheRest() {
        Map<String, String> masked =
                SecretMasking.mask(
                        Map.of(
                                "properties.sasl.jaas.config", "user=x password=hunter2",
                                "access-key", "AK-SECRET",
                                "sts-token", "T0K3N",
                                "properties.ssl.truststore.password", "pw",
                                "topic", "orders",
                                "properties.bootstrap.servers", "localhost:9092"));

        assertThat(masked)
                .containsEntry("properties.sasl.jaas.config", SecretMasking.MASK)
                .containsEntry("access-key", SecretMasking.MASK)
                .containsEntry("sts-token", SecretMasking.MASK)
                .containsEntry("properties.ssl.truststore.password", SecretMasking.MASK)
                .containsEntry("topic", "orders")
                .containsEntry("properties.bootstrap.servers", "localhost:9092");
        assertThat(masked.toString()).doesNotContain("hunter2", "AK-SECRET", "T0K3N");
    }

    @Test
    void masksProperties() {
        Properties properties = new Properties();
        properties.setProperty("sasl.jaas.config", "secret-stuff");
        properties.setProperty("group.id", "g1");

        assertThat(SecretMasking.mask(properties))
                .containsEntry("sasl.jaas.config", SecretMasking.MASK)
                .containsEntry("group.id", "g1");
    }

    @Test
    void passThroughStripsThePrefix() {
        Properties properties =
                ConnectorOptionUtils.passThroughProperties(
                        Map.of("properties.group.id", "g", "topic", "t"));

        assertThat(properties).hasSize(1).containsEntry("group.id", "g");
    }
}
