package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.e2e.bench.BenchSupport.Probe;
import org.flinkconnectors.e2e.bench.BenchSupport.Result;
import org.flinkconnectors.streams.sink.StreamsRecordSerializationSchema;
import org.flinkconnectors.streams.sink.StreamsSink;
import org.flinkconnectors.streams.source.StreamsSource;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;
import org.flinkconnectors.streams.source.reader.deserializer.StreamsRecordDeserializationSchema;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.flinkconnectors.e2e.bench.BenchPath.Named.ours;
import static org.flinkconnectors.e2e.bench.BenchPath.Named.peer;
import static org.flinkconnectors.e2e.bench.BenchPath.Named.raw;
import static org.flinkconnectors.e2e.bench.BenchSupport.best;
import static org.flinkconnectors.e2e.bench.BenchSupport.interleave;
import static org.flinkconnectors.e2e.bench.BenchSupport.processCpuNanos;
import static org.flinkconnectors.e2e.bench.BenchSupport.singleSubtaskEnvironment;

/**
 * Side-by-side throughput, in one JVM against one embedded broker: our source vs Flink's official
 * {@code KafkaSource} vs a raw {@code KafkaConsumer} poll loop on the same topic, and our
 * exactly-once sink vs the official {@code KafkaSink} vs a raw transactional {@code KafkaProducer}
 * committing at the same interval. Everything runs at parallelism 1, so the raw client is the
 * physical limit of one reader or writer. The variants take turns for {@code rounds} rounds; {@link
 * BenchReport} prints min / median / max and the ratios of the medians (the machine is shared with
 * the broker). Throughput is measured from the first record to the last (sinks: to the end of the
 * job, final commit included), so job deployment is left out alike for all; so is the process CPU
 * time next to it.
 *
 * <p>Arguments: records (default 5,000,000), record size in bytes (100), rounds (5).
 */
public final class StreamsBenchmark {

    private static final int PARTITIONS = 4;
    private static final long CHECKPOINT_MS = 1000;

    private final EmbeddedKafkaCluster kafka;
    private final long records;
    private final int recordSize;

    private StreamsBenchmark(EmbeddedKafkaCluster kafka, long records, int recordSize) {
        this.kafka = kafka;
        this.records = records;
        this.recordSize = recordSize;
    }

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster();
        kafka.startUp();
        try {
            new StreamsBenchmark(kafka, records, size).run(rounds);
        } finally {
            kafka.tearDown();
        }
    }

    private void run(int rounds) throws Exception {
        String topic = "bench-read";
        kafka.createTopic(topic, PARTITIONS);
        fill(topic);
        String only = System.getProperty("bench.only", "");
        if (only.equals("source")) {
            Result r = best(rounds, () -> flinkRead(ourSource(topic)));
            System.out.printf("ours source: %,.0f records/s%n", r.recordsPerSecond());
            return;
        }
        if (only.equals("sink")) {
            Result r = best(rounds, () -> flinkWrite(ourSink(newTopic("ours"))));
            System.out.printf("ours sink: %,.0f records/s%n", r.recordsPerSecond());
            return;
        }

        // Variants alternate round by round so that drift (JIT, GC, the broker's own load) hits
        // them alike.
        List<List<Result>> reads =
                interleave(
                        rounds,
                        () -> rawConsume(topic),
                        () -> flinkRead(officialSource(topic)),
                        () -> flinkRead(ourSource(topic)));
        List<List<Result>> writes =
                interleave(
                        rounds,
                        () -> rawTransactionalProduce(newTopic("raw")),
                        () -> flinkWrite(officialSink(newTopic("official"))),
                        () -> flinkWrite(ourSink(newTopic("ours"))));

        BenchReport report =
                new BenchReport(
                        "streams",
                        String.format(
                                "%,d records of %d bytes, %d partitions, parallelism 1, %d rounds;"
                                        + " embedded broker in the same JVM on %d CPUs (CPU"
                                        + " includes the broker's)",
                                records,
                                recordSize,
                                PARTITIONS,
                                rounds,
                                Runtime.getRuntime().availableProcessors()));
        report.add(
                BenchPath.throughput(
                        "streams",
                        "streams source",
                        "bounded read of the whole topic",
                        reads,
                        raw("raw KafkaConsumer poll loop"),
                        peer("official KafkaSource"),
                        ours("StreamsSource (ours)")));
        report.add(
                BenchPath.throughput(
                        "streams",
                        "streams sink",
                        "exactly-once, commit every " + CHECKPOINT_MS + " ms",
                        writes,
                        raw("raw transactional KafkaProducer"),
                        peer("official KafkaSink"),
                        ours("StreamsSink (ours)")));
        report.finish();
    }

    // ---------------------------------------------------------------- read side

    private void fill(String topic) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
            byte[][] payloads = payloads();
            for (long i = 0; i < records; i++) {
                producer.send(
                        new ProducerRecord<>(
                                topic, (int) (i % PARTITIONS), null, payloads[(int) (i % 64)]));
            }
            producer.flush();
        }
    }

    private Result rawConsume(String topic) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long count = 0;
        long bytes = 0;
        long start = 0;
        long last = 0;
        long startCpu = 0;
        long lastCpu = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions =
                    IntStream.range(0, PARTITIONS)
                            .mapToObj(p -> new TopicPartition(topic, p))
                            .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            while (count < total) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (count++ == 0) {
                        start = System.nanoTime();
                        startCpu = processCpuNanos();
                    }
                    bytes += r.value().length;
                }
                last = System.nanoTime();
                lastCpu = processCpuNanos();
            }
        }
        // Like the Flink variants: from the first record to the last.
        return new Result(count, bytes, last - start, lastCpu - startCpu);
    }

    private Source<byte[], ?, ?> ourSource(String topic) {
        return StreamsSource.<byte[]>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new ValueBytes())
                .build();
    }

    private Source<byte[], ?, ?> officialSource(String topic) {
        return KafkaSource.<byte[]>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic)
                .setStartingOffsets(
                        org.apache.flink.connector.kafka.source.enumerator.initializer
                                .OffsetsInitializer.earliest())
                .setBounded(
                        org.apache.flink.connector.kafka.source.enumerator.initializer
                                .OffsetsInitializer.latest())
                .setDeserializer(
                        KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
                .build();
    }

    private Result flinkRead(Source<byte[], ?, ?> source) throws Exception {
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        Probe.reset();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "source")
                .map(new Probe<>())
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .sinkTo(new DiscardingSink<>());
        env.execute("read");
        // From the first to the last record: job deployment and split discovery excluded.
        return new Result(
                Probe.COUNT.get(), Probe.COUNT.get() * recordSize, Probe.span(), Probe.cpuSpan());
    }

    // ---------------------------------------------------------------- write side

    private static int topics;

    private String newTopic(String name) throws Exception {
        String topic = "bench-write-" + name + "-" + (++topics);
        kafka.createTopic(topic, PARTITIONS);
        return topic;
    }

    private Result rawTransactionalProduce(String topic) {
        Properties props = producerProps();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "raw-" + topic);
        byte[][] payloads = payloads();
        long start;
        long startCpu;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            start = System.nanoTime();
            startCpu = processCpuNanos();
            producer.beginTransaction();
            long lastCommit = System.nanoTime();
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, payloads[(int) (i % 64)]));
                if (System.nanoTime() - lastCommit > TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MS)) {
                    producer.commitTransaction();
                    producer.beginTransaction();
                    lastCommit = System.nanoTime();
                }
            }
            producer.commitTransaction();
        }
        return new Result(
                records,
                records * recordSize,
                System.nanoTime() - start,
                processCpuNanos() - startCpu);
    }

    private Sink<byte[]> ourSink(String topic) {
        return StreamsSink.<byte[]>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(topic)
                .setRecordSerializer(
                        StreamsRecordSerializationSchema.<byte[]>builder()
                                .setTopic(topic)
                                .setValueSerializationSchema(new Identity())
                                .build())
                .build();
    }

    private Sink<byte[]> officialSink(String topic) {
        return KafkaSink.<byte[]>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(topic)
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<byte[]>builder()
                                .setTopic(topic)
                                .setValueSerializationSchema(new Identity())
                                .build())
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900000")
                .build();
    }

    private Result flinkWrite(Sink<byte[]> sink) throws Exception {
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        env.enableCheckpointing(CHECKPOINT_MS);
        byte[][] payloads = payloads();
        Probe.reset();
        env.fromSequence(0, records - 1)
                .map(i -> payloads[(int) (i % 64)])
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .map(new Probe<>())
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .sinkTo(sink);
        env.execute("write");
        // From the first record to the end of the job, which includes the final commit.
        return new Result(records, records * recordSize, Probe.sinceFirst(), Probe.cpuSinceFirst());
    }

    // ---------------------------------------------------------------- helpers

    private Properties producerProps() {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    private byte[][] payloads() {
        Random random = new Random(42);
        byte[][] payloads = new byte[64][recordSize];
        for (byte[] payload : payloads) {
            random.nextBytes(payload);
        }
        return payloads;
    }

    /** Emits each record's value bytes, like the official value-only byte-array deserializer. */
    private static final class ValueBytes implements StreamsRecordDeserializationSchema<byte[]> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<byte[]> out) {
            out.collect(record.value());
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }

    private static final class Identity implements SerializationSchema<byte[]> {
        @Override
        public byte[] serialize(byte[] element) {
            return element;
        }
    }
}
