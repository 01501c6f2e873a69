package org.flinkconnectors.e2e;

import org.flinkconnectors.lake.iceberg.IcebergCatalogConfig;
import org.flinkconnectors.odps.testutils.OdpsTestServer;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The suite's demo: an embedded Kafka broker, a protocol-level MaxCompute ({@link OdpsTestServer})
 * and a local Flink MiniCluster run a SQL pipeline that writes {@code datagen} rows exactly once
 * into a {@code streams} table, moves them exactly once from the topic into a day-partitioned
 * MaxCompute table created through the {@code odps} catalog, reads them back from there, and copies
 * them exactly once into an Iceberg and a Delta table of one {@code lake} catalog (a temporary
 * warehouse directory); it prints each stage's progress (rows so far, rows per second, counted in
 * the stage's target system) as it goes, then how many rows each system holds, duplicated and
 * missing.
 *
 * <p>Run it with the README's demo command; the first argument is the number of rows.
 */
public final class DemoPipeline {

    // Logged at INFO to the console with a bare pattern (see log4j2.properties): the summary is
    // the demo's output.
    private static final Logger LOG = LoggerFactory.getLogger(DemoPipeline.class);

    private static final String TOPIC = "demo-orders";

    private DemoPipeline() {}

    public static void main(String[] args) {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 200_000L;
        int exitCode;
        try {
            exitCode = runDemo(rows) ? 0 : 1;
        } catch (Throwable t) {
            LOG.error("The demo failed.", t);
            exitCode = 2;
        }
        // The broker and Flink leave non-daemon threads behind; end the JVM either way.
        System.exit(exitCode);
    }

    private static boolean runDemo(long rows) throws Exception {
        long started = System.nanoTime();
        LOG.info("Starting an embedded Kafka broker, the MaxCompute test server and Flink ...");
        try (EmbeddedSystems systems = EmbeddedSystems.start()) {
            systems.kafka().createTopic(TOPIC, 4);
            Summary summary =
                    run(systems.bootstrapServers(), systems.odps(), systems.warehouse(), rows);
            summary.print(Duration.ofNanos(System.nanoTime() - started));
            return summary.isExactlyOnce();
        }
    }

    static Summary run(String bootstrapServers, OdpsTestServer odps, Path lakeWarehouse, long rows)
            throws Exception {
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.interval", "1s");
        config.setString("parallelism.default", "2");
        TableEnvironment tEnv =
                TableEnvironment.create(
                        EnvironmentSettings.newInstance()
                                .inStreamingMode()
                                .withConfiguration(config)
                                .build());
        String columns = "order_id BIGINT, customer STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3)";
        tEnv.executeSql(
                "CREATE TABLE generated ("
                        + columns
                        + ") WITH ('connector' = 'datagen', 'number-of-rows' = '"
                        + rows
                        + "', 'fields.order_id.kind' = 'sequence', 'fields.order_id.start' = '1',"
                        + " 'fields.order_id.end' = '"
                        + rows
                        + "', 'rows-per-second' = '50000', 'fields.customer.length' = '8',"
                        + " 'fields.amount.min' = '1',"
                        + " 'fields.amount.max' = '500')");
        String connection =
                "'connector' = 'streams', 'topic' = '"
                        + TOPIC
                        + "', 'properties.bootstrap.servers' = '"
                        + bootstrapServers
                        + "', 'format' = 'json'";
        tEnv.executeSql(
                "CREATE TABLE orders_out ("
                        + columns
                        + ") WITH ("
                        + connection
                        + ", 'sink.delivery-guarantee' = 'exactly-once',"
                        + " 'sink.transactional-id-prefix' = 'demo-pipeline')");
        tEnv.executeSql(
                "CREATE TABLE orders_in ("
                        + columns
                        + ") WITH ("
                        + connection
                        + ", 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' ="
                        + " 'latest-offset', 'properties.isolation.level' = 'read_committed')");

        long writeStart = System.nanoTime();
        try (CommittedRecords inTopic = new CommittedRecords(bootstrapServers, TOPIC);
                StageProgress progress =
                        StageProgress.start(
                                "1/4",
                                "datagen -> topic " + TOPIC + " (streams, exactly-once)",
                                inTopic,
                                LOG::info)) {
            tEnv.executeSql("INSERT INTO orders_out SELECT * FROM generated")
                    .await(10, TimeUnit.MINUTES);
        }
        Duration write = Duration.ofNanos(System.nanoTime() - writeStart);

        tEnv.executeSql(
                "CREATE CATALOG mc WITH ('type' = 'odps', 'endpoint' = '"
                        + odps.endpoint()
                        + "', 'tunnel-endpoint' = '"
                        + odps.tunnelEndpoint()
                        + "', 'project' = '"
                        + OdpsTestServer.DEFAULT_PROJECT
                        + "', 'access-id' = '"
                        + OdpsTestServer.ACCESS_ID
                        + "', 'access-key' = '"
                        + OdpsTestServer.ACCESS_KEY
                        + "')");
        tEnv.executeSql(
                "CREATE TABLE mc.`default`.orders (order_id BIGINT, customer STRING,"
                        + " amount DECIMAL(10, 2), ts TIMESTAMP(3), ds STRING)"
                        + " PARTITIONED BY (ds)");
        long moveStart = System.nanoTime();
        try (StageProgress progress =
                StageProgress.start(
                        "2/4",
                        "topic -> MaxCompute table orders (odps, exactly-once)",
                        () ->
                                odps.store()
                                        .table(OdpsTestServer.DEFAULT_PROJECT, "orders")
                                        .rowCount(),
                        LOG::info)) {
            tEnv.executeSql(
                            "INSERT INTO mc.`default`.orders SELECT order_id, customer, amount, ts,"
                                    + " DATE_FORMAT(ts, 'yyyyMMdd') FROM orders_in")
                    .await(10, TimeUnit.MINUTES);
        }
        Duration move = Duration.ofNanos(System.nanoTime() - moveStart);

        long readStart = System.nanoTime();
        AtomicLong read = new AtomicLong();
        Count odpsCount;
        try (StageProgress progress =
                StageProgress.start(
                        "3/4", "bounded MaxCompute scan (odps source)", read::get, LOG::info)) {
            odpsCount = count(tEnv, "mc.`default`.orders", read);
        }
        Duration readTime = Duration.ofNanos(System.nanoTime() - readStart);

        // One catalog over a lake warehouse: the same rows into an Iceberg and a Delta table.
        tEnv.executeSql(
                "CREATE CATALOG lake WITH ('type' = 'lake', 'warehouse' = '"
                        + lakeWarehouse.toUri()
                        + "')");
        tEnv.executeSql("CREATE DATABASE lake.demo");
        String lakeColumns =
                "(order_id BIGINT, customer STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3),"
                        + " ds STRING) PARTITIONED BY (ds)";
        tEnv.executeSql("CREATE TABLE lake.demo.orders_iceberg " + lakeColumns);
        tEnv.executeSql(
                "CREATE TABLE lake.demo.orders_delta "
                        + lakeColumns
                        + " WITH ('table-format' = 'delta')");
        long lakeStart = System.nanoTime();
        StatementSet toLake = tEnv.createStatementSet();
        toLake.addInsertSql(
                "INSERT INTO lake.demo.orders_iceberg SELECT * FROM mc.`default`.orders");
        toLake.addInsertSql("INSERT INTO lake.demo.orders_delta SELECT * FROM mc.`default`.orders");
        try (StageProgress progress =
                StageProgress.start(
                        "4/4",
                        "MaxCompute -> Iceberg and Delta (lake, exactly-once; Iceberg rows shown)",
                        () -> icebergRows(lakeWarehouse, "demo", "orders_iceberg"),
                        LOG::info)) {
            toLake.execute().await(10, TimeUnit.MINUTES);
        }
        Duration lake = Duration.ofNanos(System.nanoTime() - lakeStart);
        Count iceberg = count(tEnv, "lake.demo.orders_iceberg", new AtomicLong());
        Count delta = count(tEnv, "lake.demo.orders_delta", new AtomicLong());
        return new Summary(rows, odpsCount, iceberg, delta, write, move, readTime, lake);
    }

    /** Rows, distinct ids and their range in {@code table}; {@code counted} follows COUNT(*). */
    private static Count count(TableEnvironment tEnv, String table, AtomicLong counted)
            throws Exception {
        try (CloseableIterator<Row> result =
                tEnv.executeSql(
                                "SELECT COUNT(*), COUNT(DISTINCT order_id), MIN(order_id),"
                                        + " MAX(order_id) FROM "
                                        + table)
                        .collect()) {
            Row last = null;
            while (result.hasNext()) {
                last = result.next();
                // A streaming aggregate updates its result row as the rows come in.
                if (last.getKind() != RowKind.UPDATE_BEFORE) {
                    counted.set((Long) last.getField(0));
                }
            }
            return new Count(
                    (Long) last.getField(0),
                    (Long) last.getField(1),
                    (Long) last.getField(2),
                    (Long) last.getField(3));
        }
    }

    /** The rows of the current snapshot of an Iceberg table (0 before its first commit). */
    private static long icebergRows(Path warehouse, String database, String table) {
        Catalog catalog = IcebergCatalogConfig.hadoop(warehouse.toUri().toString()).open();
        try {
            TableIdentifier id = TableIdentifier.of(database, table);
            if (!catalog.tableExists(id)) {
                return 0;
            }
            Snapshot current = catalog.loadTable(id).currentSnapshot();
            return current == null
                    ? 0
                    : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
        } finally {
            if (catalog instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /**
     * Counts the records of a topic a read_committed consumer sees: the rows an exactly-once sink
     * has committed so far. Called by one thread at a time.
     */
    private static final class CommittedRecords implements LongSupplier, AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions;
        private long count;

        CommittedRecords(String bootstrapServers, String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            consumer = new KafkaConsumer<>(props);
            partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads up to the last stable offsets (for at most a second) and returns the count. */
        @Override
        public synchronized long getAsLong() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < deadline && behind(end)) {
                count += consumer.poll(Duration.ofMillis(100)).count();
            }
            return count;
        }

        private boolean behind(Map<TopicPartition, Long> end) {
            for (TopicPartition partition : partitions) {
                if (consumer.position(partition) < end.get(partition)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public synchronized void close() {
            consumer.close();
        }
    }

    /** Rows, distinct order ids and their range in one table. */
    record Count(long rows, long distinct, long min, long max) {
        boolean isExactlyOnce(long written) {
            return rows == written && distinct == written && min == 1 && max == written;
        }
    }

    /** What the pipeline wrote and read back. */
    record Summary(
            long written,
            Count odps,
            Count iceberg,
            Count delta,
            Duration write,
            Duration move,
            Duration readTime,
            Duration lake) {

        boolean isExactlyOnce() {
            return odps.isExactlyOnce(written)
                    && iceberg.isExactlyOnce(written)
                    && delta.isExactlyOnce(written);
        }

        void print(Duration elapsed) {
            LOG.info("");
            LOG.info(
                    "=== Flink Connector Suite demo: datagen -> streams -> odps -> lake"
                            + " (Iceberg + Delta) ===");
            LOG.info(
                    String.format(
                            "rows written      : %d (into a topic, exactly-once, %.1f s)",
                            written, secs(write)));
            LOG.info(
                    String.format(
                            "rows moved        : topic -> MaxCompute, exactly-once, %.1f s",
                            secs(move)));
            LOG.info(
                    String.format(
                            "rows read back    : %d (bounded MaxCompute scan, %.1f s)",
                            odps.rows(), secs(readTime)));
            LOG.info(
                    String.format(
                            "rows copied       : MaxCompute -> Iceberg and Delta through the lake"
                                    + " catalog, exactly-once, %.1f s",
                            secs(lake)));
            line("MaxCompute", odps);
            line("Iceberg", iceberg);
            line("Delta", delta);
            LOG.info(String.format("elapsed           : %.1f s", secs(elapsed)));
            LOG.info("result            : {}", isExactlyOnce() ? "OK" : "FAILED");
        }

        private void line(String system, Count count) {
            LOG.info(
                    String.format(
                            "%-10s        : %d rows, %d distinct ids (%d..%d), %d duplicates,"
                                    + " %d missing",
                            system,
                            count.rows(),
                            count.distinct(),
                            count.min(),
                            count.max(),
                            count.rows() - count.distinct(),
                            written - count.distinct()));
        }

        private static double secs(Duration d) {
            return d.toMillis() / 1000.0;
        }
    }
}
