package org.flinkconnectors.e2e;

import org.flinkconnectors.lake.delta.DeltaKernelReads;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.defaults.engine.DefaultEngine;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads what a job wrote with each system's own client, never through the suite's connectors: a
 * plain read_committed {@link KafkaConsumer}, Iceberg's {@link IcebergGenerics}, Delta Kernel's own
 * scan. Each returns the {@code id} column of every row, duplicates included.
 */
final class IndependentReaders {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IndependentReaders() {}

    /** The {@code id} field of every JSON record a read_committed consumer sees up to the end. */
    static List<Long> kafkaIds(Properties clientProperties, String topic) throws Exception {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<Long> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Polling.poll(
                    "a read_committed consumer to reach the end offsets " + end,
                    Duration.ofSeconds(60),
                    () -> {
                        ConsumerRecords<byte[], byte[]> records;
                        do {
                            records = consumer.poll(Duration.ofMillis(200));
                            for (ConsumerRecord<byte[], byte[]> record : records) {
                                ids.add(JSON.readTree(record.value()).get("id").asLong());
                            }
                        } while (!records.isEmpty());
                        Set<TopicPartition> behind = new HashSet<>();
                        for (TopicPartition tp : partitions) {
                            if (consumer.position(tp) < end.get(tp)) {
                                behind.add(tp);
                            }
                        }
                        return behind.isEmpty() ? Optional.of(true) : Optional.empty();
                    });
        }
        return ids;
    }

    /** The {@code id} column of an Iceberg table in a Hadoop catalog warehouse. */
    static List<Long> icebergIds(Path warehouse, String database, String table) throws IOException {
        return icebergRows(
                warehouse, database, table, record -> (Long) record.getField("id"), "id");
    }

    /** {@code {key, value}} of every row of an Iceberg table, equality deletes applied. */
    static List<long[]> icebergKeyValues(
            Path warehouse, String database, String table, String key, String value)
            throws IOException {
        return icebergRows(
                warehouse,
                database,
                table,
                record -> new long[] {(Long) record.getField(key), (Long) record.getField(value)},
                key,
                value);
    }

    private static <T> List<T> icebergRows(
            Path warehouse,
            String database,
            String table,
            Function<Record, T> convert,
            String... columns)
            throws IOException {
        try (HadoopCatalog catalog = new HadoopCatalog()) {
            catalog.setConf(new Configuration());
            catalog.initialize("check", Map.of("warehouse", warehouse.toUri().toString()));
            Table loaded = catalog.loadTable(TableIdentifier.of(database, table));
            List<T> rows = new ArrayList<>();
            try (CloseableIterable<Record> records =
                    IcebergGenerics.read(loaded).select(columns).build()) {
                records.forEach(record -> rows.add(convert.apply(record)));
            }
            return rows;
        }
    }

    /** The {@code id} column (the first, BIGINT) of a Delta table, read by Kernel's own scan. */
    static List<Long> deltaIds(Path table) throws IOException {
        return DeltaKernelReads.rows(
                DefaultEngine.create(new Configuration()),
                table.toUri().toString(),
                row -> row.getLong(0));
    }
}
