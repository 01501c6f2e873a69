package org.flinkconnectors.base.options;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest
    @ValueSource(
            strings = {
                // the credential-like keys
                "access-key",
                "credential",
                "token",
                "password",
                "secret",
                "properties.sasl.jaas.config",
                "jaas",
                "properties.ssl.keystore.key",
                "properties.basic.auth.user.info",
                "properties.schema.registry.basic.auth.user.info",
                "header.Authorization",
                "header.X-Iceberg-Access-Delegation",
                "properties.fs.s3a.access.key",
                "properties.fs.s3a.secret.key",
                "properties.fs.s3a.encryption.key",
                "properties.fs.oss.accessKeyId",
                "properties.fs.azure.sas.container.account.blob.core.windows.net",
                "properties.fs.azure.account.key.account.dfs.core.windows.net",
                // Flink's own list (GlobalConfiguration.isSensitive)
                "apikey",
                "api-key",
                "service-key",
                "basic-auth",
                "auth-params",
                "http-headers",
                // and what the connectors take
                "sts-token",
                "jdbc.password",
                "properties.ssl.key.password",
                "properties.sasl.oauthbearer.client.credentials.client.secret",
                "private-key",
            })
    void credentialLikeKeysAreSecret(String key) {
        assertThat(SecretMasking.isSecretKey(key)).as(key).isTrue();
        assertThat(SecretMasking.isSecretKey(key.toUpperCase(java.util.Locale.ROOT)))
                .as(key)
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "access-id",
                "topic",
                "properties.bootstrap.servers",
                "properties.sasl.mechanism",
                "properties.security.protocol",
                "properties.ssl.keystore.type",
                "properties.ssl.keystore.location",
                "key.fields",
                "key.format",
                "properties.fs.s3a.endpoint",
                "properties.fs.defaultFS",
                "scan.startup.mode",
                "catalog-type",
                "uri",
            })
    void ordinaryKeysAreShown(String key) {
        assertThat(SecretMasking.isSecretKey(key)).as(key).isFalse();
    }

    @Test
    void flinkMasksOnlyItsOwnList() {
        assertThat(SecretMasking.isMaskedByFlink("properties.sasl.jaas.config")).isTrue();
        assertThat(SecretMasking.isMaskedByFlink("sts-token")).isTrue();
        assertThat(SecretMasking.isMaskedByFlink("access-key")).isFalse();
        assertThat(SecretMasking.isMaskedByFlink("properties.ssl.keystore.key")).isFalse();

        assertThat(SecretMasking.hasSecretFlinkWouldShow(Map.of("password", "p", "topic", "t")))
                .isFalse();
        assertThat(SecretMasking.hasSecretFlinkWouldShow(Map.of("credential", "c", "topic", "t")))
                .isTrue();
    }

    @Test
    void masksSecretValuesInText() {
        Map<String, String> options =
                Map.of("access-key", "AK-SECRET", "topic", "orders", "credential", "AK-SECRET-2");

        assertThat(SecretMasking.maskValues("key AK-SECRET-2 and AK-SECRET of orders", options))
                .isEqualTo("key ****** and ****** of orders");
        assertThat(SecretMasking.describe(options))
                .isEqualTo(
                        String.join(
                                System.lineSeparator(),
                                "'access-key'='******'",
                                "'credential'='******'",
                                "'topic'='orders'"));
    }
}
