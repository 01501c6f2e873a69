package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.source.PartitionChangePolicy;
import org.flinkconnectors.odps.table.OdpsConnectorOptions.ScanFormat;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.LookupOptions.LookupCacheType;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The option names of Alibaba's MaxCompute connector: renamed ones read as our options, translated
 * ones become our values, contradictions and options without an equivalent fail naming them.
 */
class OdpsMigrationOptionsTest {

    @Test
    void renamedOptionsReadAsOurs() {
        Configuration config =
                own(
                        Map.of(
                                "endPoint", "http://e/api",
                                "tunnelEndpoint", "http://t",
                                "tableName", "t1",
                                "schemaName", "s1",
                                "accessId", "id",
                                "accessKey", "key",
                                "dynamicPartitionLimit", "7",
                                "maxPartitionCount", "100",
                                "retryTimes", "3"));

        assertThat(config.get(OdpsConnectorOptions.ENDPOINT)).isEqualTo("http://e/api");
        assertThat(config.get(OdpsConnectorOptions.TUNNEL_ENDPOINT)).isEqualTo("http://t");
        assertThat(config.get(OdpsConnectorOptions.TABLE)).isEqualTo("t1");
        assertThat(config.get(OdpsConnectorOptions.SCHEMA)).isEqualTo("s1");
        assertThat(config.get(OdpsConnectorOptions.ACCESS_ID)).isEqualTo("id");
        assertThat(config.get(OdpsConnectorOptions.ACCESS_KEY)).isEqualTo("key");
        assertThat(config.get(OdpsConnectorOptions.SINK_DYNAMIC_PARTITION_LIMIT)).isEqualTo(7);
        assertThat(config.get(OdpsConnectorOptions.SCAN_MAX_PARTITIONS)).isEqualTo(100);
        assertThat(config.get(OdpsConnectorOptions.CLIENT_MAX_RETRIES)).isEqualTo(3);
        assertThat(config.toMap()).doesNotContainKeys("endPoint", "tableName", "accessKey");
        // The lower-case spelling of Alibaba's older DDL examples.
        assertThat(own(Map.of("tablename", "t2")).get(OdpsConnectorOptions.TABLE)).isEqualTo("t2");
    }

    @Test
    void plainNumbersOfAlibabasMillisecondAndByteOptionsKeepTheirUnit() {
        Configuration config =
                own(
                        Map.of(
                                "flushIntervalMs", "30000",
                                "batchSize", "67108864",
                                "sleepMillis", "1000"));

        assertThat(config.get(OdpsConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(OdpsConnectorOptions.SINK_BUFFER_FLUSH_MAX_SIZE))
                .isEqualTo(MemorySize.ofMebiBytes(64));
        assertThat(config.get(OdpsConnectorOptions.CLIENT_RETRY_BACKOFF))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void formerSplitSizeKeyStillSetsTheRowsPerSplit() {
        assertThat(own(Map.of("scan.split-size", "5000")).get(OdpsConnectorOptions.SCAN_SPLIT_ROWS))
                .isEqualTo(5000L);
    }

    @Test
    void subscribeIntervalIsSeconds() {
        assertThat(
                        own(Map.of("subscribeIntervalInSec", "30"))
                                .get(OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL))
                .isEqualTo(Duration.ofSeconds(30));
        assertFails(Map.of("subscribeIntervalInSec", "0"), "subscribeIntervalInSec", "positive");
    }

    @Test
    void useArrowChoosesTheScanFormat() {
        assertThat(own(Map.of("useArrow", "true")).get(OdpsConnectorOptions.SCAN_FORMAT))
                .isEqualTo(ScanFormat.ARROW);
        assertThat(own(Map.of("useArrow", "false")).get(OdpsConnectorOptions.SCAN_FORMAT))
                .isEqualTo(ScanFormat.RECORD);
    }

    @Test
    void modifiedTableOperationNoneFailsAndSkipHasNoEquivalent() {
        assertThat(
                        own(Map.of("modifiedTableOperation", "NONE"))
                                .get(OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE))
                .isEqualTo(PartitionChangePolicy.FAIL);
        assertFails(
                Map.of("modifiedTableOperation", "SKIP"),
                "'modifiedTableOperation' = 'SKIP'",
                "no equivalent",
                "reread");
    }

    @Test
    void cachePoliciesBecomeFlinksCacheTypes() {
        assertThat(own(Map.of("cache", "ALL")).get(LookupOptions.CACHE_TYPE))
                .isEqualTo(LookupCacheType.FULL);
        assertThat(own(Map.of("cache", "LRU")).get(LookupOptions.CACHE_TYPE))
                .isEqualTo(LookupCacheType.PARTIAL);
        assertThat(own(Map.of("cache", "None")).get(LookupOptions.CACHE_TYPE))
                .isEqualTo(LookupCacheType.NONE);
        assertFails(Map.of("cache", "SOME"), "'cache' = 'SOME'", "ALL", "LRU");
    }

    @Test
    void cacheSizeAndTtlDependOnTheCache() {
        Configuration lru = own(Map.of("cache", "LRU", "cacheSize", "1000", "cacheTTLMs", "60000"));
        assertThat(lru.get(LookupOptions.PARTIAL_CACHE_MAX_ROWS)).isEqualTo(1000L);
        assertThat(lru.get(LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE))
                .isEqualTo(Duration.ofMinutes(1));

        Configuration all = own(Map.of("cache", "ALL", "cacheTTLMs", "3600000"));
        assertThat(all.get(LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL))
                .isEqualTo(Duration.ofHours(1));
        // Our default cache is the full one, as Alibaba's only documented policy.
        assertThat(
                        own(Map.of("cacheTTLMs", "600000"))
                                .get(LookupOptions.FULL_CACHE_PERIODIC_RELOAD_INTERVAL))
                .isEqualTo(Duration.ofMinutes(10));

        assertFails(
                Map.of("cache", "ALL", "cacheSize", "100000"),
                "'cacheSize' = '100000'",
                "no equivalent",
                "without a row limit");
        assertFails(Map.of("cache", "None", "cacheTTLMs", "1000"), "'cacheTTLMs'", "no cache");
    }

    @Test
    void maxLoadRetriesIsTheLookupRetries() {
        assertThat(own(Map.of("maxLoadRetries", "10")).get(LookupOptions.MAX_RETRIES))
                .isEqualTo(10);
    }

    @Test
    void partitionOfColumnNamesOnlyMeansPartitionsFromTheRows() {
        assertThat(own(Map.of("partition", "ds")).getOptional(OdpsConnectorOptions.PARTITION))
                .isEmpty();
        assertThat(own(Map.of("partition", "ds,hh")).getOptional(OdpsConnectorOptions.PARTITION))
                .isEmpty();
        assertThat(own(Map.of("partition", "max_pt()")).get(OdpsConnectorOptions.PARTITION))
                .isEqualTo("max_pt()");
        assertThat(own(Map.of("partition", "ds=2018*")).get(OdpsConnectorOptions.PARTITION))
                .isEqualTo("ds=2018*");
    }

    @Test
    void aliasAndOwnKeyWithTheSameMeaningMayAgree() {
        Configuration config =
                own(
                        Map.of(
                                "cache", "ALL",
                                "lookup.cache", "full",
                                "subscribeIntervalInSec", "60",
                                "scan.partition-discovery.interval", "1 min",
                                "tableName", "t",
                                "table", "t"));

        assertThat(config.get(LookupOptions.CACHE_TYPE)).isEqualTo(LookupCacheType.FULL);
        assertThat(config.get(OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL))
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aliasAndOwnKeyThatDisagreeFailNamingBoth() {
        assertFails(
                Map.of("cache", "ALL", "lookup.cache", "PARTIAL"),
                "'lookup.cache' = 'PARTIAL'",
                "'cache' = 'ALL'");
        assertFails(
                Map.of("subscribeIntervalInSec", "30", "scan.partition-discovery.interval", "1s"),
                "'scan.partition-discovery.interval' = '1s'",
                "'subscribeIntervalInSec' = '30'");
        assertFails(Map.of("tableName", "a", "table", "b"), "'table' = 'b'", "'tableName' = 'a'");
        assertFails(
                Map.of("flushIntervalMs", "1000", "sink.buffer-flush.interval", "2 s"),
                "'sink.buffer-flush.interval' = '2 s'",
                "'flushIntervalMs' = '1000'");
    }

    @Test
    void alibabaOptionsWithoutEquivalentFailNamingThem() {
        for (String option :
                List.of(
                        "startPartition",
                        "useStreamTunnel",
                        "numFlushThreads",
                        "compressAlgorithm",
                        "splitSize",
                        "cacheReloadTimeBlackList")) {
            Map<String, String> options = new HashMap<>();
            options.put(option, "x");
            assertThatThrownBy(() -> OdpsMigrationOptions.rejectWithoutEquivalent(options))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("'" + option + "'")
                    .hasMessageContaining("no equivalent");
        }
        OdpsMigrationOptions.rejectWithoutEquivalent(Map.of("table", "t", "partition", "ds=1"));
    }

    @Test
    void enableUpsertMustAgreeWithThePrimaryKey() {
        OdpsMigrationOptions.checkUpsert(null, List.of());
        OdpsMigrationOptions.checkUpsert(null, List.of("id"));
        OdpsMigrationOptions.checkUpsert(true, List.of("id"));
        OdpsMigrationOptions.checkUpsert(false, List.of());

        assertThatThrownBy(() -> OdpsMigrationOptions.checkUpsert(true, List.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'enableUpsert' = 'true'")
                .hasMessageContaining("PRIMARY KEY");
        assertThatThrownBy(() -> OdpsMigrationOptions.checkUpsert(false, List.of("id")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'enableUpsert' = 'false'")
                .hasMessageContaining("PRIMARY KEY (id)");
    }

    @Test
    void everyMigrationOptionNamesOurs() {
        for (ConfigOption<?> option : OdpsMigrationOptions.options()) {
            assertThat(new HtmlFormatter().format(option.description()))
                    .as(option.key())
                    .contains("Alibaba MaxCompute connector name");
            assertThat(option.hasDefaultValue()).as(option.key()).isFalse();
        }
    }

    /** The options as the factory reads them. */
    private static Configuration own(Map<String, String> options) {
        return Configuration.fromMap(new OdpsDynamicTableFactory().ownOptions(options));
    }

    private static void assertFails(Map<String, String> options, String... fragments) {
        assertThatThrownBy(() -> own(options))
                .isInstanceOf(ValidationException.class)
                .satisfies(
                        e -> {
                            for (String fragment : fragments) {
                                assertThat(e.getMessage()).contains(fragment);
                            }
                        });
    }
}
