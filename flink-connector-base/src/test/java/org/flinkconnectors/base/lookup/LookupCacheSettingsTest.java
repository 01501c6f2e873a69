package org.flinkconnectors.base.lookup;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.lookup.LookupOptions.LookupCacheType;
import org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache;
import org.apache.flink.table.connector.source.lookup.cache.trigger.PeriodicCacheReloadTrigger;
import org.apache.flink.table.connector.source.lookup.cache.trigger.TimedCacheReloadTrigger;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code lookup.*} options: the connector's defaults and the validation messages. */
class LookupCacheSettingsTest {

    private static LookupCacheSettings settings(Map<String, String> options) {
        return LookupCacheSettings.fromOptions(Configuration.fromMap(options));
    }

    @Test
    void defaultsToAFullCacheReloadedHourly() {
        LookupCacheSettings settings = settings(Map.of());

        assertThat(settings.cacheType()).isEqualTo(LookupCacheType.FULL);
        assertThat(settings.maxRetries()).isEqualTo(3);
        assertThat(settings.createReloadTrigger()).isInstanceOf(PeriodicCacheReloadTrigger.class);
        assertThat(settings.toString()).contains("PT1H");
    }

    @Test
    void buildsTheConfiguredTriggerAndCache() {
        assertThat(
                        settings(
                                        Map.of(
                                                "lookup.full-cache.reload-strategy", "TIMED",
                                                "lookup.full-cache.timed-reload.iso-time",
                                                        "10:15+08:00"))
                                .createReloadTrigger())
                .isInstanceOf(TimedCacheReloadTrigger.class);
        assertThat(
                        settings(
                                        Map.of(
                                                "lookup.cache", "partial",
                                                "lookup.partial-cache.max-rows", "500",
                                                "lookup.partial-cache.cache-missing-key", "false"))
                                .createPartialCache())
                .isEqualTo(
                        DefaultLookupCache.newBuilder()
                                .maximumSize(500)
                                .cacheMissingKey(false)
                                .build());
        assertThat(settings(Map.of("lookup.cache", "NONE")).cacheType())
                .isEqualTo(LookupCacheType.NONE);
    }

    @Test
    void partialCacheNeedsABound() {
        assertThatThrownBy(() -> settings(Map.of("lookup.cache", "PARTIAL")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'lookup.partial-cache.max-rows'")
                .hasMessageContaining("'lookup.partial-cache.expire-after-access'")
                .hasMessageContaining("'lookup.partial-cache.expire-after-write'");
        assertThatThrownBy(
                        () ->
                                settings(
                                        Map.of(
                                                "lookup.cache", "PARTIAL",
                                                "lookup.partial-cache.max-rows", "0")))
                .hasMessageContaining("'lookup.partial-cache.max-rows' must be positive");
    }

    @Test
    void optionsOfAnotherCacheOrStrategyAreRejected() {
        assertThatThrownBy(() -> settings(Map.of("lookup.partial-cache.max-rows", "10")))
                .isInstanceOf(ValidationException.class)
                .hasMessage(
                        "Option 'lookup.partial-cache.max-rows' applies only when 'lookup.cache'"
                                + " = 'PARTIAL', but 'lookup.cache' is 'FULL' (the connector's"
                                + " default).");
        assertThatThrownBy(
                        () ->
                                settings(
                                        Map.of(
                                                "lookup.cache", "NONE",
                                                "lookup.full-cache.periodic-reload.interval",
                                                        "1 min")))
                .hasMessageContaining("applies only when 'lookup.cache' = 'FULL'")
                .hasMessageContaining("is 'NONE'.");
        assertThatThrownBy(
                        () -> settings(Map.of("lookup.full-cache.timed-reload.iso-time", "10:15")))
                .hasMessageContaining(
                        "applies only when 'lookup.full-cache.reload-strategy' = 'TIMED'");
    }

    @Test
    void invalidValuesNameTheOption() {
        assertThatThrownBy(() -> settings(Map.of("lookup.full-cache.reload-strategy", "TIMED")))
                .hasMessageContaining("'lookup.full-cache.timed-reload.iso-time' is required");
        assertThatThrownBy(
                        () ->
                                settings(
                                        Map.of(
                                                "lookup.full-cache.reload-strategy", "TIMED",
                                                "lookup.full-cache.timed-reload.iso-time",
                                                        "quarter past ten")))
                .hasMessageContaining("'lookup.full-cache.timed-reload.iso-time'")
                .hasMessageContaining("'10:15Z'");
        assertThatThrownBy(
                        () -> settings(Map.of("lookup.full-cache.periodic-reload.interval", "0 s")))
                .hasMessageContaining(
                        "'lookup.full-cache.periodic-reload.interval' must be a positive");
        assertThatThrownBy(() -> settings(Map.of("lookup.max-retries", "-1")))
                .hasMessageContaining("'lookup.max-retries'");
    }
}
