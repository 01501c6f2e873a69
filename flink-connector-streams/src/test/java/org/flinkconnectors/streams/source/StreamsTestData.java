package org.flinkconnectors.streams.source;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.RestartStrategyUtils;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.function.SupplierWithException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Test helpers: unique topic names, a plain producer, and polling with a deadline. */
final class StreamsTestData {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private StreamsTestData() {}

    static String uniqueName(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet() + "-" + System.nanoTime();
    }

    /** Values {@code <prefix>-0 .. <prefix>-(count-1)}. */
    static List<String> values(String prefix, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + "-" + i);
        }
        return values;
    }

    /** Writes {@code values} to one partition; {@code timestamps} may be null for "now". */
    static void produce(
            String bootstrapServers,
            String topic,
            int partition,
            List<String> values,
            List<Long> timestamps) {
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.setProperty(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.setProperty(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < values.size(); i++) {
                Long timestamp = timestamps == null ? null : timestamps.get(i);
                producer.send(
                        new ProducerRecord<>(topic, partition, timestamp, null, values.get(i)));
            }
            producer.flush();
        }
    }

    /** The next {@code count} elements of {@code iterator}, failing after {@code timeout}. */
    static <T> List<T> take(Iterator<T> iterator, int count, Duration timeout) throws Exception {
        return CompletableFuture.supplyAsync(
                        () -> {
                            List<T> result = new ArrayList<>();
                            while (result.size() < count && iterator.hasNext()) {
                                result.add(iterator.next());
                            }
                            return result;
                        })
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls {@code condition} until it holds; fails when {@code timeout} passes. */
    static void waitUntil(
            String what, Duration timeout, SupplierWithException<Boolean, Exception> condition)
            throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        CommonTestUtils.waitUtil(
                () -> {
                    try {
                        return condition.get();
                    } catch (Exception e) {
                        // Stop polling and hand the condition's own exception to the caller.
                        failure.set(e);
                        return true;
                    }
                },
                timeout,
                "Timed out after " + timeout + " waiting until " + what);
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Runs a bounded read at parallelism 2 without restarts and returns every element. */
    static List<String> readBounded(StreamsSourceBuilder<String> builder) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RestartStrategyUtils.configureNoRestartStrategy(env);
        List<String> result = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "source")
                        .executeAndCollect("bounded read")) {
            it.forEachRemaining(result::add);
        }
        return result;
    }
}
