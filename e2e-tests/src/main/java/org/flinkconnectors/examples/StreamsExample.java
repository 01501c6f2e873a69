package org.flinkconnectors.examples;

import org.flinkconnectors.streams.sink.StreamsRecordSerializationSchema;
import org.flinkconnectors.streams.sink.StreamsSink;
import org.flinkconnectors.streams.source.StreamsSource;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ParameterTool;

/**
 * The {@code streams} connector from the DataStream API: a job writes JSON orders into a topic
 * exactly once with a {@link StreamsSink}, a second job reads the committed ones back with a
 * bounded {@link StreamsSource}.
 *
 * <p>Parameters, as {@code --key value} or {@code -Dkey=value}: {@code bootstrap.servers}
 * (required), {@code topic} (default {@code orders}, must exist), {@code rows} (default 1000).
 */
public final class StreamsExample {

    private StreamsExample() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params =
                ParameterTool.fromSystemProperties().mergeWith(ParameterTool.fromArgs(args));
        String bootstrapServers = params.getRequired("bootstrap.servers");
        String topic = params.get("topic", "orders");
        long rows = params.getLong("rows", 1000);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // Exactly-once: each checkpoint commits the Kafka transactions of its records.
        env.enableCheckpointing(1000);

        StreamsSink<String> sink =
                StreamsSink.<String>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setRecordSerializer(
                                StreamsRecordSerializationSchema.<String>builder()
                                        .setTopic(topic)
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        // Unique per job: transactional ids are derived from it.
                        .setTransactionalIdPrefix("streams-example")
                        .build();
        env.fromSequence(1, rows)
                .map(id -> String.format("{\"id\":%d,\"amount\":%d.%02d}", id, id % 500, id % 100))
                .sinkTo(sink);
        env.execute("StreamsExample: write");

        StreamsSource<String> source =
                StreamsSource.<String>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topic)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        // Bounded: stop at the end offsets found when the job starts.
                        .setBounded(OffsetsInitializer.latest())
                        // Only records of committed transactions.
                        .setProperty("isolation.level", "read_committed")
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        long read = 0;
        try (CloseableIterator<String> orders =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders")
                        .executeAndCollect("StreamsExample: read")) {
            while (orders.hasNext()) {
                orders.next();
                read++;
            }
        }
        System.out.printf(
                "StreamsExample: wrote %d orders into topic %s exactly once, read %d back%n",
                rows, topic, read);
    }
}
