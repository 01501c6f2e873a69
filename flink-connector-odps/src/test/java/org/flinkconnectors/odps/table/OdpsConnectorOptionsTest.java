package org.flinkconnectors.odps.table;

import org.flinkconnectors.base.options.SecretMasking;
import org.flinkconnectors.odps.source.PartitionChangePolicy;
import org.flinkconnectors.odps.table.OdpsConnectorOptions.ScanFormat;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.factories.FactoryUtil;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The option declarations: descriptions, keys, defaults, and what is reused from Flink. */
class OdpsConnectorOptionsTest {

    private static List<ConfigOption<?>> declaredOptions() throws IllegalAccessException {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : OdpsConnectorOptions.class.getDeclaredFields()) {
            if (ConfigOption.class.isAssignableFrom(field.getType())) {
                assertThat(Modifier.isPublic(field.getModifiers())).as(field.getName()).isTrue();
                assertThat(Modifier.isStatic(field.getModifiers())).as(field.getName()).isTrue();
                assertThat(Modifier.isFinal(field.getModifiers())).as(field.getName()).isTrue();
                options.add((ConfigOption<?>) field.get(null));
            }
        }
        return options;
    }

    @Test
    void everyOptionHasADescriptionAndAUniqueKey() throws Exception {
        List<ConfigOption<?>> options = declaredOptions();

        assertThat(options).hasSizeGreaterThanOrEqualTo(20);
        for (ConfigOption<?> option : options) {
            assertThat(option.description().toString()).as(option.key()).isNotBlank();
        }
        assertThat(options.stream().map(ConfigOption::key).collect(Collectors.toSet()))
                .hasSameSizeAs(options);
    }

    @Test
    void keysUseTheHouseVocabulary() throws Exception {
        assertThat(declaredOptions().stream().map(ConfigOption::key))
                .containsExactlyInAnyOrder(
                        "endpoint",
                        "tunnel-endpoint",
                        "project",
                        "schema",
                        "table",
                        "access-id",
                        "access-key",
                        "sts-token",
                        "client.max-retries",
                        "client.retry-backoff",
                        "client.timeout",
                        "partition",
                        "scan.split-rows",
                        "scan.partition-discovery.interval",
                        "scan.on-partition-change",
                        "scan.format",
                        "scan.max-partitions",
                        "sink.delivery-guarantee",
                        "sink.dynamic-partition.limit",
                        "sink.buffer-flush.max-rows",
                        "sink.buffer-flush.max-size",
                        "sink.buffer-flush.interval",
                        "sink.buffer-memory");
    }

    @Test
    void flinksOwnOptionsAreReusedNotRedeclared() throws Exception {
        List<String> ours =
                declaredOptions().stream().map(ConfigOption::key).collect(Collectors.toList());

        assertThat(ours)
                .doesNotContain(
                        FactoryUtil.SOURCE_PARALLELISM.key(),
                        FactoryUtil.SINK_PARALLELISM.key(),
                        "sink.overwrite");
        assertThat(ours).noneMatch(key -> key.startsWith("lookup."));
        assertThat(OdpsConnectorOptions.lookupOptions())
                .contains(
                        LookupOptions.CACHE_TYPE,
                        LookupOptions.MAX_RETRIES,
                        LookupOptions.PARTIAL_CACHE_MAX_ROWS,
                        LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL);
    }

    @Test
    void connectionOptionsAreWhatACatalogNeeds() {
        assertThat(OdpsConnectorOptions.connectionOptions())
                .containsExactly(
                        OdpsConnectorOptions.ENDPOINT,
                        OdpsConnectorOptions.TUNNEL_ENDPOINT,
                        OdpsConnectorOptions.PROJECT,
                        OdpsConnectorOptions.SCHEMA,
                        OdpsConnectorOptions.ACCESS_ID,
                        OdpsConnectorOptions.ACCESS_KEY,
                        OdpsConnectorOptions.STS_TOKEN,
                        OdpsConnectorOptions.CLIENT_MAX_RETRIES,
                        OdpsConnectorOptions.CLIENT_RETRY_BACKOFF,
                        OdpsConnectorOptions.CLIENT_TIMEOUT);
    }

    @Test
    void secretOptionsAreMaskedBySecretMasking() {
        assertThat(SecretMasking.isSecretKey(OdpsConnectorOptions.ACCESS_KEY.key())).isTrue();
        assertThat(SecretMasking.isSecretKey(OdpsConnectorOptions.STS_TOKEN.key())).isTrue();
        assertThat(SecretMasking.isSecretKey(OdpsConnectorOptions.ACCESS_ID.key())).isFalse();
    }

    @Test
    void defaults() {
        Configuration empty = new Configuration();

        assertThat(empty.get(OdpsConnectorOptions.SCAN_SPLIT_ROWS)).isEqualTo(1_000_000L);
        assertThat(empty.get(OdpsConnectorOptions.SCAN_FORMAT)).isEqualTo(ScanFormat.RECORD);
        assertThat(empty.get(OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL)).isNull();
        assertThat(empty.get(OdpsConnectorOptions.SCAN_MAX_PARTITIONS)).isEqualTo(1000);
        assertThat(empty.get(OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE))
                .isEqualTo(PartitionChangePolicy.FAIL);
        assertThat(empty.get(OdpsConnectorOptions.SINK_DELIVERY_GUARANTEE))
                .isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(empty.get(OdpsConnectorOptions.SINK_DYNAMIC_PARTITION_LIMIT)).isEqualTo(100);
        assertThat(empty.get(OdpsConnectorOptions.SINK_BUFFER_FLUSH_MAX_SIZE))
                .isEqualTo(MemorySize.ofMebiBytes(64));
        assertThat(empty.get(OdpsConnectorOptions.CLIENT_MAX_RETRIES)).isEqualTo(5);
        assertThat(empty.get(OdpsConnectorOptions.CLIENT_RETRY_BACKOFF))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(empty.get(OdpsConnectorOptions.CLIENT_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(120));
        assertThat(empty.get(OdpsConnectorOptions.PARTITION)).isNull();
    }

    @Test
    void enumValuesParseAsWrittenInSql() {
        Configuration config =
                Configuration.fromMap(
                        Map.of(
                                "scan.format", "arrow",
                                "scan.on-partition-change", "reread",
                                "sink.delivery-guarantee", "at-least-once",
                                "scan.partition-discovery.interval", "1 min"));

        assertThat(config.get(OdpsConnectorOptions.SCAN_FORMAT)).isEqualTo(ScanFormat.ARROW);
        assertThat(config.get(OdpsConnectorOptions.SINK_DELIVERY_GUARANTEE))
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(config.get(OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(ScanFormat.RECORD.toString()).isEqualTo("record");
        assertThat(config.get(OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE))
                .isEqualTo(PartitionChangePolicy.REREAD);
    }
}
