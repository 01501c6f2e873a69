package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.odps.table.OdpsDynamicTableFactory;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.FactoryUtil;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog factory is discovered as {@code 'type' = 'odps'}, declares its options, and reports
 * invalid ones when the catalog opens, naming the option and never the secrets.
 */
class OdpsCatalogFactoryTest {

    private static final String SECRET = "very-s3cret-access-key";

    @Test
    void discoveredAsTypeOdpsWithoutTouchingTheService() {
        Catalog catalog = create(Map.of("default-database", "sales"));

        assertThat(catalog).isInstanceOf(OdpsCatalog.class);
        assertThat(catalog.getDefaultDatabase()).isEqualTo("sales");
        assertThat(create(Map.of()).getDefaultDatabase()).isEqualTo("default");
        assertThat(catalog.getFactory()).get().isInstanceOf(OdpsDynamicTableFactory.class);
    }

    @Test
    void declaresConnectionOptionsAndDefaultDatabaseButNoSchemaOrTable() {
        OdpsCatalogFactory factory = new OdpsCatalogFactory();

        assertThat(factory.factoryIdentifier()).isEqualTo("odps");
        assertThat(keys(factory.requiredOptions())).containsExactly("endpoint", "project");
        assertThat(keys(factory.optionalOptions()))
                .contains(
                        "default-database",
                        "tunnel-endpoint",
                        "access-id",
                        "access-key",
                        "sts-token",
                        "client.max-retries",
                        "client.retry-backoff",
                        "client.timeout")
                .doesNotContain("schema", "table", "endpoint", "project");
    }

    @Test
    void missingRequiredOptionIsNamed() {
        Map<String, String> options = valid();
        options.remove("endpoint");

        assertOpenFails(options, "endpoint");
    }

    @Test
    void unknownOptionIsNamedWithTheSupportedOnes() {
        Map<String, String> options = valid();
        options.put("scan.split-rows", "10");

        assertOpenFails(options, "scan.split-rows", "default-database", "client.timeout");
    }

    @Test
    void schemaOptionPointsToDefaultDatabase() {
        Map<String, String> options = valid();
        options.put("schema", "sales");

        assertOpenFails(options, "'schema'", "'default-database'");
    }

    @Test
    void unparsableValueIsNamed() {
        Map<String, String> options = valid();
        options.put("client.timeout", "soon");

        assertOpenFails(options, "client.timeout");
    }

    @Test
    void invalidValueIsNamedWithItsRange() {
        Map<String, String> options = valid();
        options.put("client.max-retries", "-1");

        assertOpenFails(options, "client.max-retries", "0 or more");
    }

    @Test
    void blankDefaultDatabaseIsRejected() {
        Map<String, String> options = valid();
        options.put("default-database", " ");

        assertOpenFails(options, "default-database");
    }

    @Test
    void accessKeyWithoutAccessIdIsRejected() {
        Map<String, String> options = valid();
        options.remove("access-id");

        assertOpenFails(options, "access-id");
    }

    @Test
    void catalogIsUnusableUntilOpened() {
        Catalog catalog = create(valid());

        assertThatThrownBy(catalog::listDatabases).hasMessageContaining("not open");
    }

    private static void assertOpenFails(Map<String, String> options, String... expected) {
        Catalog catalog = create(options);
        assertThatThrownBy(catalog::open)
                .isInstanceOf(ValidationException.class)
                .satisfies(
                        e -> {
                            String messages = messages(e);
                            assertThat(messages).contains(expected).doesNotContain(SECRET);
                        });
    }

    private static Catalog create(Map<String, String> options) {
        Map<String, String> withType = new HashMap<>(options);
        withType.put("type", "odps");
        return FactoryUtil.createCatalog(
                "odps_catalog",
                withType,
                new Configuration(),
                OdpsCatalogFactoryTest.class.getClassLoader());
    }

    /** Complete options; no server listens on port 1, so a test that got past them would fail. */
    private static Map<String, String> valid() {
        Map<String, String> options = new HashMap<>();
        options.put("endpoint", "http://127.0.0.1:1/api");
        options.put("project", "p");
        options.put("access-id", "id");
        options.put("access-key", SECRET);
        options.put("client.max-retries", "0");
        return options;
    }

    private static String messages(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            out.append(t).append('\n');
        }
        return out.toString();
    }

    private static List<String> keys(Set<ConfigOption<?>> options) {
        return options.stream().map(ConfigOption::key).collect(Collectors.toList());
    }
}
