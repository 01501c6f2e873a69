package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.append;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.builder;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.expected;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.uniqueTable;

/**
 * Unbounded reads: partitions and rows that appear while the job runs arrive exactly once, and a
 * job stopped with a savepoint and restarted after more rows were appended neither repeats nor
 * misses a row.
 */
class OdpsSourceStreamingITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** What the collecting sinks received, by test. */
    private static final Map<String, Queue<String>> RESULTS = new ConcurrentHashMap<>();

    @Test
    void newPartitionsAndRowsAppendedToKnownOnesArriveExactlyOnce() throws Exception {
        String table = uniqueTable("stream");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(true));
        append(ODPS, table, "ds=1", 0, 500);
        Queue<String> results = results(table);

        JobClient job = start(table, new Configuration(), 0);
        try {
            List<String> expected = new ArrayList<>(expected("ds=1", 0, 500));
            awaitSize(results, expected.size());

            append(ODPS, table, "ds=1", 500, 300);
            append(ODPS, table, "ds=2", 0, 200);
            expected.addAll(expected("ds=1", 500, 300));
            expected.addAll(expected("ds=2", 0, 200));
            awaitSize(results, expected.size());

            // A last partition: by the time it arrives, any row read twice would have too.
            append(ODPS, table, "ds=3", 0, 1);
            expected.addAll(expected("ds=3", 0, 1));
            awaitSize(results, expected.size());
            assertThat(results).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void restartFromSavepointAfterAppendsReadsEveryRowExactlyOnce(@TempDir Path savepoints)
            throws Exception {
        String table = uniqueTable("restart");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(true));
        append(ODPS, table, "ds=1", 0, 3_000);
        append(ODPS, table, "ds=2", 0, 1_000);
        Queue<String> results = results(table);

        // Throttled so the savepoint lands while splits are half read.
        JobClient first = start(table, new Configuration(), 1);
        awaitSize(results, 1_000);
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(1, TimeUnit.MINUTES);
        int beforeRestart = results.size();
        assertThat(beforeRestart).isLessThan(4_000);

        append(ODPS, table, "ds=1", 3_000, 700);
        append(ODPS, table, "ds=3", 0, 300);
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient second = start(table, restore, 0);
        try {
            List<String> expected = new ArrayList<>(expected("ds=1", 0, 3_700));
            expected.addAll(expected("ds=2", 0, 1_000));
            expected.addAll(expected("ds=3", 0, 300));
            awaitSize(results, expected.size());
            assertThat(results).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            second.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static JobClient start(String table, Configuration config, long pauseMillisPerRow)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        OdpsSource<String> source =
                builder(ODPS, table)
                        .setSplitSize(400)
                        .setDiscoveryInterval(Duration.ofMillis(200))
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "odps")
                .uid("odps-source")
                .map(new Throttle(pauseMillisPerRow))
                .uid("throttle")
                .sinkTo(new CollectingSink(table))
                .uid("collect");
        return env.executeAsync("odps-unbounded-" + table);
    }

    private static Queue<String> results(String key) {
        return RESULTS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
    }

    private static void awaitSize(Queue<String> results, int size) throws Exception {
        CommonTestUtils.waitUtil(
                () -> results.size() >= size,
                TIMEOUT,
                "waiting for " + size + " rows, have " + results.size());
    }

    /** Slows the pipeline down so a savepoint finds splits half read. */
    private static final class Throttle implements MapFunction<String, String> {
        private final long pauseMillis;

        Throttle(long pauseMillis) {
            this.pauseMillis = pauseMillis;
        }

        @Override
        public String map(String value) throws Exception {
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
            return value;
        }
    }

    /** Adds every element to {@link #RESULTS} under its key; survives job restarts. */
    private static final class CollectingSink implements Sink<String> {
        private final String key;

        CollectingSink(String key) {
            this.key = key;
        }

        @Override
        public SinkWriter<String> createWriter(WriterInitContext context) {
            Queue<String> target = results(key);
            return new SinkWriter<>() {
                @Override
                public void write(String element, Context ctx) {
                    target.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
