package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.append;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.builder;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.dataRequests;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.expected;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.overwrite;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.uniqueTable;

/**
 * Unbounded reads: partitions and rows that appear while the job runs arrive exactly once, a job
 * stopped with a savepoint and restarted after more rows were appended neither repeats nor misses a
 * row, and a partition overwritten while it is read fails the job or, with {@code reread}, is read
 * again.
 */
class OdpsSourceStreamingITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

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
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
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
        assertThat(results.size()).isLessThan(4_000);
        int readsBeforeRestart = dataRequests(ODPS, table).size();

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
            // Some split resumed inside its range: its download starts off the 400-row grid
            // (one-row downloads are the enumerator's fingerprint probes, not split reads).
            List<ServerRequest> reads = dataRequests(ODPS, table);
            assertThat(reads.subList(readsBeforeRestart, reads.size()))
                    .filteredOn(read -> rangeCount(read) > 1)
                    .extracting(OdpsSourceStreamingITCase::rangeStart)
                    .anySatisfy(start -> assertThat(start % 400).isNotZero());
        } finally {
            second.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void partitionOverwrittenWithMoreRowsFailsTheJobByDefault() throws Exception {
        String table = uniqueTable("overwrite_fail");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(true));
        append(ODPS, table, "ds=1", 0, 300);
        Queue<String> results = results(table);
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");

        JobClient job = start(table, config, 0);
        awaitSize(results, 300);
        // More rows than before: by count alone this looks like 200 appended rows.
        overwrite(ODPS, table, "ds=1", 1_000, 500);

        assertThatThrownBy(() -> job.getJobExecutionResult().get(2, TimeUnit.MINUTES))
                .hasStackTraceContaining(
                        "Partition ds=1 of table "
                                + OdpsTestServer.DEFAULT_PROJECT
                                + "."
                                + table
                                + " changed other than by appending rows: it has 500 rows now"
                                + " (300 were read), but row 0 is no longer the same")
                .hasStackTraceContaining("'scan.on-partition-change' = 'reread'");
        // Nothing of the new contents was taken for appended rows.
        assertThat(results).containsExactlyInAnyOrderElementsOf(expected("ds=1", 0, 300));
    }

    @Test
    void partitionOverwrittenWithMoreRowsIsReadAgainWithReread() throws Exception {
        String table = uniqueTable("overwrite_reread");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(true));
        append(ODPS, table, "ds=1", 0, 300);
        append(ODPS, table, "ds=2", 0, 100);
        Queue<String> results = results(table);

        JobClient job = start(table, new Configuration(), 0, 2, 400, PartitionChangePolicy.REREAD);
        try {
            List<String> expected = new ArrayList<>(expected("ds=1", 0, 300));
            expected.addAll(expected("ds=2", 0, 100));
            awaitSize(results, expected.size());

            overwrite(ODPS, table, "ds=1", 1_000, 500);
            append(ODPS, table, "ds=2", 100, 50);
            expected.addAll(expected("ds=1", 1_000, 500));
            expected.addAll(expected("ds=2", 100, 50));
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
    void reportsPendingRecordsAndBytesIn() throws Exception {
        String table = uniqueTable("metrics");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(true));
        append(ODPS, table, "ds=1", 0, 12_000);
        Queue<String> results = results(table);
        Configuration config = new Configuration();
        // One fetched batch in the queue at most, so the fetcher cannot run far ahead.
        config.set(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY, 1);

        JobClient job = start(table, config, 4, 1, 100_000);
        try {
            awaitSize(results, 100);
            // FLIP-33: rows of the reader's splits not fetched yet.
            assertThat(gaugeSum(job, ".pendingRecords")).isPositive();

            awaitSize(results, 12_000);
            CommonTestUtils.waitUtil(
                    () -> gaugeSum(job, ".pendingRecords") == 0,
                    TIMEOUT,
                    "waiting for pendingRecords to reach 0");
            assertThat(counterSum(job, ".numBytesIn")).isGreaterThan(12_000L * 8);
            assertThat(counterSum(job, ".Source: odps.0.numRecordsIn")).isEqualTo(12_000);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static JobClient start(String table, Configuration config, int rowsPerMilli)
            throws Exception {
        return start(table, config, rowsPerMilli, 2, 400);
    }

    private static JobClient start(
            String table, Configuration config, int rowsPerMilli, int parallelism, long splitRows)
            throws Exception {
        return start(
                table, config, rowsPerMilli, parallelism, splitRows, PartitionChangePolicy.FAIL);
    }

    private static JobClient start(
            String table,
            Configuration config,
            int rowsPerMilli,
            int parallelism,
            long splitRows,
            PartitionChangePolicy onChange)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        env.enableCheckpointing(100);
        OdpsSource<String> source =
                builder(ODPS, table)
                        .setSplitRows(splitRows)
                        .setDiscoveryInterval(Duration.ofMillis(200))
                        .setPartitionChangePolicy(onChange)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "odps")
                .uid("odps-source")
                .map(new Throttle(rowsPerMilli))
                .uid("throttle")
                .sinkTo(new CollectingSink(table))
                .uid("collect");
        return env.executeAsync("odps-unbounded-" + table);
    }

    /** The first row of a download: {@code rowrange=(start,count)}. */
    private static long rangeStart(ServerRequest read) {
        String range = read.param("rowrange");
        return Long.parseLong(range.substring(1, range.indexOf(',')));
    }

    /** The number of rows of a download: {@code rowrange=(start,count)}. */
    private static long rangeCount(ServerRequest read) {
        String range = read.param("rowrange");
        return Long.parseLong(range.substring(range.indexOf(',') + 1, range.indexOf(')')).trim());
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

    private static long gaugeSum(JobClient job, String suffix) {
        long sum = 0;
        for (Metric metric : metricsEndingWith(job, suffix)) {
            Object value = ((Gauge<?>) metric).getValue();
            sum += value == null ? 0 : ((Number) value).longValue();
        }
        return sum;
    }

    private static long counterSum(JobClient job, String suffix) {
        long sum = 0;
        for (Metric metric : metricsEndingWith(job, suffix)) {
            sum += metric instanceof Counter ? ((Counter) metric).getCount() : 0;
        }
        return sum;
    }

    private static List<Metric> metricsEndingWith(JobClient job, String suffix) {
        // By group: the reporter's identifier map rejects the duplicates some operators make.
        String jobId = job.getJobID().toString();
        List<Metric> result = new ArrayList<>();
        METRICS.getMetricsByGroup()
                .forEach(
                        (group, metrics) -> {
                            if (jobId.equals(group.getAllVariables().get("<job_id>"))) {
                                metrics.forEach(
                                        (name, metric) -> {
                                            if (group.getMetricIdentifier(name).endsWith(suffix)) {
                                                result.add(metric);
                                            }
                                        });
                            }
                        });
        return result;
    }

    /** Slows each subtask down to about {@code rowsPerMilli} rows per millisecond (0: off). */
    private static final class Throttle implements MapFunction<String, String> {
        private final int rowsPerMilli;
        private int count;

        Throttle(int rowsPerMilli) {
            this.rowsPerMilli = rowsPerMilli;
        }

        @Override
        public String map(String value) throws Exception {
            if (rowsPerMilli > 0 && ++count % rowsPerMilli == 0) {
                // Pacing, not a wait: it keeps a savepoint from finding every split read.
                Thread.sleep(1);
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
