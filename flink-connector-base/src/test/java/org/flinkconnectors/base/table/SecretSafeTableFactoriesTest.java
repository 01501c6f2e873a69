package org.flinkconnectors.base.table;

import org.flinkconnectors.base.testutils.SecretLeakAssertions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSafeTableFactoriesTest {

    private static final String SECRET = "SECRET-VALUE-1";

    @Test
    void failureWithASecretFlinkWouldShowIsDeferredAndMasked() {
        DynamicTableFactory.Context context =
                context(Map.of("connector", "x", "access-key", SECRET, "scan.mode", "bogus"));

        DynamicTableSource source =
                SecretSafeTableFactories.createSource(
                        context, Map.of(), () -> failWith("'scan.mode' is 'bogus', not [a, b]"));

        assertThat(source).isInstanceOf(DeferredTableFailure.class);
        assertThat(source.asSummaryString()).doesNotContain(SECRET);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                () -> ((ScanTableSource) source).getChangelogMode(),
                List.of(
                        "Unable to create a source for reading table 'c.d.t'",
                        "'access-key'='******'",
                        "'scan.mode'='bogus'",
                        "'scan.mode' is 'bogus', not [a, b]"),
                SECRET);
    }

    @Test
    void secretsEchoedByTheErrorAreMaskedAndTheCauseDropped() {
        DynamicTableFactory.Context context =
                context(Map.of("connector", "x", "credential", SECRET));

        DynamicTableSink sink =
                SecretSafeTableFactories.createSink(
                        context,
                        Map.of("token", "HIDDEN-TOKEN"),
                        () -> {
                            throw new IllegalStateException(
                                    "bad 'uri'",
                                    new RuntimeException(
                                            "server said: " + SECRET + " / HIDDEN-TOKEN"));
                        });

        String text =
                SecretLeakAssertions.assertFailsWithoutSecrets(
                        () -> sink.getChangelogMode(ChangelogMode.insertOnly()),
                        List.of("Unable to create a sink for writing table", "bad 'uri'"),
                        SECRET,
                        "HIDDEN-TOKEN");
        assertThat(text).contains("server said: ******");
    }

    @Test
    void withoutSuchASecretTheErrorIsThrownAsBefore() {
        DynamicTableFactory.Context context =
                context(Map.of("connector", "x", "password", SECRET, "scan.mode", "bogus"));

        assertThatThrownBy(
                        () ->
                                SecretSafeTableFactories.createSource(
                                        context, Map.of(), () -> failWith("'scan.mode' is bad")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("'scan.mode' is bad");
    }

    @Test
    void aHiddenSecretEchoedWithoutAVisibleOneIsMaskedWhenThrown() {
        DynamicTableFactory.Context context = context(Map.of("connector", "x"));

        assertThatThrownBy(
                        () ->
                                SecretSafeTableFactories.createSource(
                                        context,
                                        Map.of("access-key", SECRET),
                                        () -> failWith("key " + SECRET + " rejected")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("key ****** rejected");
    }

    @Test
    void successfulCreationIsReturned() {
        DynamicTableSource created = new DeferredTableFailure("t", new RuntimeException());
        assertThat(
                        SecretSafeTableFactories.createSource(
                                context(Map.of("access-key", SECRET)), Map.of(), () -> created))
                .isSameAs(created);
    }

    private static DynamicTableSource failWith(String message) {
        throw new ValidationException(message);
    }

    private static DynamicTableFactory.Context context(Map<String, String> options) {
        ResolvedSchema schema = ResolvedSchema.of(Column.physical("a", DataTypes.INT()));
        CatalogTable table =
                CatalogTable.newBuilder()
                        .schema(Schema.newBuilder().fromResolvedSchema(schema).build())
                        .options(options)
                        .build();
        return new FactoryUtil.DefaultDynamicTableContext(
                ObjectIdentifier.of("c", "d", "t"),
                new ResolvedCatalogTable(table, schema),
                Map.of(),
                new Configuration(),
                SecretSafeTableFactoriesTest.class.getClassLoader(),
                false);
    }
}
