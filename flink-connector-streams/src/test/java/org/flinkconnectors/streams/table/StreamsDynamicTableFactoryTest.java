package org.flinkconnectors.streams.table;

import org.flinkconnectors.streams.sink.partitioner.RoundRobinPartitioner;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.utils.FactoryMocks;
import org.apache.flink.table.runtime.connector.sink.SinkRuntimeProviderContext;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Option validation of the 'streams' and 'upsert-streams' factories: every error names its key. */
class StreamsDynamicTableFactoryTest {

    private static final ResolvedSchema SCHEMA =
            ResolvedSchema.of(
                    Column.physical("id", DataTypes.BIGINT().notNull()),
                    Column.physical("name", DataTypes.STRING()));

    private static final ResolvedSchema SCHEMA_WITH_KEY =
            new ResolvedSchema(
                    List.of(
                            Column.physical("id", DataTypes.BIGINT().notNull()),
                            Column.physical("name", DataTypes.STRING())),
                    List.of(),
                    UniqueConstraint.primaryKey("pk", List.of("id")),
                    List.of());

    private static Map<String, String> options(Consumer<Map<String, String>> changes) {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "streams");
        options.put("topic", "t");
        options.put("properties.bootstrap.servers", "localhost:9092");
        options.put("format", "json");
        changes.accept(options);
        return options;
    }

    private static Throwable sourceError(ResolvedSchema schema, Map<String, String> options) {
        try {
            FactoryMocks.createTableSource(schema, options);
        } catch (ValidationException e) {
            return rootValidation(e);
        }
        throw new AssertionError("expected a ValidationException");
    }

    private static Throwable sinkError(ResolvedSchema schema, Map<String, String> options) {
        try {
            FactoryMocks.createTableSink(schema, options);
        } catch (ValidationException e) {
            return rootValidation(e);
        }
        throw new AssertionError("expected a ValidationException");
    }

    /** Flink wraps the factory's error; the innermost ValidationException is ours. */
    private static Throwable rootValidation(Throwable e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ValidationException) {
                deepest = t;
            }
        }
        return deepest;
    }

    @Test
    void createsSourceAndSinkForValidOptions() {
        DynamicTableSource source = FactoryMocks.createTableSource(SCHEMA, options(o -> {}));
        assertThat(source).isInstanceOf(StreamsDynamicSource.class);
        DynamicTableSink sink = FactoryMocks.createTableSink(SCHEMA, options(o -> {}));
        assertThat(sink).isInstanceOf(StreamsDynamicSink.class);
    }

    @Test
    void acceptsFlinksWatermarkOptions() {
        DynamicTableSource source =
                FactoryMocks.createTableSource(
                        SCHEMA,
                        options(
                                o -> {
                                    o.put("scan.watermark.idle-timeout", "5 s");
                                    o.put("scan.watermark.emit.strategy", "on-event");
                                }));
        assertThat(source).isInstanceOf(StreamsDynamicSource.class);
    }

    @Test
    void unknownOptionIsNamedWithTheSupportedOnes() {
        assertThat(sourceError(SCHEMA, options(o -> o.put("scan.startup.mod", "earliest"))))
                .hasMessageContaining("scan.startup.mod")
                .hasMessageContaining("scan.startup.mode");
    }

    @Test
    void invalidEnumValueListsTheValidValues() {
        assertThat(sourceError(SCHEMA, options(o -> o.put("scan.startup.mode", "earliest"))))
                .hasMessageContaining("'scan.startup.mode'")
                .hasMessageContaining("earliest-offset")
                .hasMessageContaining("group-offsets");
        assertThat(sinkError(SCHEMA, options(o -> o.put("sink.delivery-guarantee", "twice"))))
                .hasMessageContaining("'sink.delivery-guarantee'")
                .hasMessageContaining("exactly-once");
    }

    @Test
    void exactlyOnceNeedsATransactionalIdPrefix() {
        assertThat(
                        sinkError(
                                SCHEMA,
                                options(o -> o.put("sink.delivery-guarantee", "exactly-once"))))
                .hasMessageContaining("'sink.transactional-id-prefix'")
                .hasMessageContaining("exactly-once");
    }

    @Test
    void onLostTransactionDefaultsToFailAndListsItsValues() {
        assertThat(sinkDescription(options(o -> {}))).contains("onLostTransaction=fail");
        assertThat(sinkDescription(options(o -> o.put("sink.on-lost-transaction", "log"))))
                .contains("onLostTransaction=log");
        assertThat(sinkError(SCHEMA, options(o -> o.put("sink.on-lost-transaction", "ignore"))))
                .hasMessageContaining("'sink.on-lost-transaction'")
                .hasMessageContaining("fail")
                .hasMessageContaining("log");
    }

    private static String sinkDescription(Map<String, String> options) {
        DynamicTableSink sink = FactoryMocks.createTableSink(SCHEMA, options);
        SinkV2Provider provider =
                (SinkV2Provider) sink.getSinkRuntimeProvider(new SinkRuntimeProviderContext(false));
        return provider.createSink().toString();
    }

    @Test
    void topicAndPatternAreExclusiveAndOneIsNeeded() {
        assertThat(sourceError(SCHEMA, options(o -> o.put("topic-pattern", "t.*"))))
                .hasMessageContaining("'topic'")
                .hasMessageContaining("'topic-pattern'");
        assertThat(sourceError(SCHEMA, options(o -> o.remove("topic"))))
                .hasMessageContaining("'topic' or 'topic-pattern'");
        assertThat(
                        sourceError(
                                SCHEMA,
                                options(
                                        o -> {
                                            o.remove("topic");
                                            o.put("topic-pattern", "t(");
                                        })))
                .hasMessageContaining("'topic-pattern'");
    }

    @Test
    void modeSpecificOptionsAreRequiredAndParsed() {
        assertThat(
                        sourceError(
                                SCHEMA,
                                options(o -> o.put("scan.startup.mode", "specific-offsets"))))
                .hasMessageContaining("'scan.startup.specific-offsets'")
                .hasMessageContaining("'scan.startup.mode'");
        assertThat(
                        sourceError(
                                SCHEMA,
                                options(
                                        o -> {
                                            o.put("scan.startup.mode", "specific-offsets");
                                            o.put("scan.startup.specific-offsets", "p0=12");
                                        })))
                .hasMessageContaining("partition:<int>,offset:<long>");
        assertThat(sourceError(SCHEMA, options(o -> o.put("scan.bounded.mode", "timestamp"))))
                .hasMessageContaining("'scan.bounded.timestamp-millis'");
    }

    @Test
    void keyOptionsGoTogetherAndNameRealColumns() {
        assertThat(sourceError(SCHEMA, options(o -> o.put("key.format", "json"))))
                .hasMessageContaining("'key.format'")
                .hasMessageContaining("'key.fields'");
        assertThat(
                        sourceError(
                                SCHEMA,
                                options(
                                        o -> {
                                            o.put("key.format", "json");
                                            o.put("key.fields", "nope");
                                        })))
                .hasMessageContaining("'nope'")
                .hasMessageContaining("[id, name]");
    }

    @Test
    void primaryKeysBelongToUpsertTables() {
        assertThat(sourceError(SCHEMA_WITH_KEY, options(o -> {})))
                .hasMessageContaining("upsert-streams");
        Map<String, String> upsertWithoutKey =
                options(
                        o -> {
                            o.put("connector", "upsert-streams");
                            o.put("key.format", "json");
                        });
        assertThat(sourceError(SCHEMA, upsertWithoutKey)).hasMessageContaining("PRIMARY KEY");
        assertThat(FactoryMocks.createTableSource(SCHEMA_WITH_KEY, upsertWithoutKey))
                .isInstanceOf(StreamsDynamicSource.class);
    }

    @Test
    void upsertBufferOptionsGoTogetherAndOnlyOnUpsertTables() {
        assertThat(sinkError(SCHEMA, options(o -> o.put("sink.buffer-flush.max-rows", "100"))))
                .hasMessageContaining("'sink.buffer-flush.max-rows'")
                .hasMessageContaining("upsert-streams");
        Map<String, String> upsert =
                options(
                        o -> {
                            o.put("connector", "upsert-streams");
                            o.put("key.format", "json");
                            o.put("sink.buffer-flush.max-rows", "100");
                        });
        assertThat(sinkError(SCHEMA_WITH_KEY, upsert))
                .hasMessageContaining("'sink.buffer-flush.interval'");
        upsert.put("sink.buffer-flush.interval", "1 s");
        assertThat(FactoryMocks.createTableSink(SCHEMA_WITH_KEY, upsert))
                .isInstanceOf(StreamsDynamicSink.class);
    }

    @Test
    void unknownPartitionerListsTheChoices() {
        assertThat(sinkError(SCHEMA, options(o -> o.put("sink.partitioner", "random"))))
                .hasMessageContaining("'sink.partitioner'")
                .hasMessageContaining("round-robin");
    }

    @Test
    void customPartitionerClassMustImplementStreamsPartitioner() {
        assertThat(
                        FactoryMocks.createTableSink(
                                SCHEMA,
                                options(
                                        o ->
                                                o.put(
                                                        "sink.partitioner",
                                                        RoundRobinPartitioner.class.getName()))))
                .isInstanceOf(StreamsDynamicSink.class);
        assertThat(sinkError(SCHEMA, options(o -> o.put("sink.partitioner", "java.lang.String"))))
                .hasMessageContaining("'sink.partitioner'")
                .hasMessageContaining("StreamsPartitioner");
    }

    @Test
    void secretsStayOutOfTheSinksDescription() {
        DynamicTableSink sink =
                FactoryMocks.createTableSink(
                        SCHEMA,
                        options(
                                o ->
                                        o.put(
                                                "properties.sasl.jaas.config",
                                                "PlainLoginModule username=u password=hunter2;")));
        SinkV2Provider provider =
                (SinkV2Provider) sink.getSinkRuntimeProvider(new SinkRuntimeProviderContext(false));
        assertThat(provider.createSink().toString())
                .contains("sasl.jaas.config")
                .doesNotContain("hunter2");
    }
}
