package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.enumerator.LakeSourceEnumerator;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.CollectionUtil;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enumerator's gauges and the readers' split counter, as a metric reporter sees them on a
 * MiniCluster: after a bounded LIMIT query, and while a streaming read tails two commits.
 */
class LakeSourceMetricsITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
        table = tables.create("orders");
    }

    /**
     * Four splits; the single reader reads two rows of the first, and the other three splits end
     * without their files being opened.
     */
    @Test
    void boundedLimitQueryReportsSplitsAssignedAndOpened() throws Exception {
        long version = 0;
        for (int i = 0; i < 4; i++) {
            version = IcebergTestTables.append(table, i * 10, i * 10 + 10);
        }
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        declare(batch, ", 'scan.parallelism' = '1'");

        TableResult result = batch.executeSql("SELECT id FROM orders LIMIT 2");
        assertThat(CollectionUtil.iteratorToList(result.collect())).hasSize(2);
        JobClient job = result.getJobClient().orElseThrow();
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        JobID id = job.getJobID();

        assertThat(count(id, LakeSource.SPLITS_OPENED_METRIC)).isEqualTo(1);
        assertThat(count(id, LakeSourceEnumerator.ASSIGNED_SPLITS_METRIC)).isEqualTo(4);
        assertThat(gauge(id, LakeSourceEnumerator.PENDING_SPLITS_METRIC)).isEqualTo(0);
        assertThat(gauge(id, LakeSourceEnumerator.CURRENT_VERSION_METRIC)).isEqualTo(version);
    }

    @Test
    @Timeout(120)
    void streamingReadReportsItsCursorAndBacklog() throws Exception {
        long started = IcebergTestTables.append(table, 0, 3);
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(streaming, ", 'scan.mode' = 'latest', 'scan.monitor-interval' = '100 ms'");

        TableResult result = streaming.executeSql("SELECT id FROM orders");
        JobID id = result.getJobClient().orElseThrow().getJobID();
        try (CloseableIterator<Row> rows = result.collect()) {
            waitFor(() -> gauge(id, LakeSourceEnumerator.CURRENT_VERSION_METRIC), started);
            IcebergTestTables.append(table, 3, 5);
            long last = IcebergTestTables.append(table, 5, 6);
            for (int i = 0; i < 3; i++) {
                assertThat(rows.hasNext()).isTrue();
                rows.next();
            }

            waitFor(() -> gauge(id, LakeSourceEnumerator.CURRENT_VERSION_METRIC), last);
            assertThat(gauge(id, LakeSourceEnumerator.PENDING_COMMITS_METRIC)).isEqualTo(0);
            assertThat(gauge(id, LakeSourceEnumerator.PENDING_SPLITS_METRIC)).isEqualTo(0);
            assertThat(count(id, LakeSourceEnumerator.ASSIGNED_SPLITS_METRIC)).isEqualTo(2);
            waitFor(() -> count(id, LakeSource.SPLITS_OPENED_METRIC), 2L);
        }
    }

    private void declare(TableEnvironment env, String extra) {
        env.executeSql(
                String.format(
                        "CREATE TABLE orders (id BIGINT, name STRING) WITH ('connector' = 'lake',"
                                + " 'table-format' = 'iceberg', 'warehouse' = '%s', 'database' ="
                                + " 'db', 'table' = 'orders'%s)",
                        tables.warehouse(), extra));
    }

    /** The sum of a counter over all subtasks that have it. */
    private static long count(JobID job, String name) {
        return metrics(job, name).stream().mapToLong(m -> ((Counter) m).getCount()).sum();
    }

    /** The value of a gauge the job has once (the enumerator's); null before it registered. */
    @Nullable
    private static Number gauge(JobID job, String name) {
        Collection<Metric> found = metrics(job, name);
        assertThat(found).as("metrics named " + name).hasSizeLessThan(2);
        return found.isEmpty() ? null : (Number) ((Gauge<?>) found.iterator().next()).getValue();
    }

    private static Collection<Metric> metrics(JobID job, String name) {
        return REPORTER.findMetrics(job, "\\." + name + "$").values();
    }

    private static final Duration POLL_PAUSE = Duration.ofMillis(20);

    /** Polls until the value is there; the test's timeout bounds the wait. */
    private static void waitFor(Supplier<Number> value, long expected) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!Objects.equals(longValue(value.get()), expected)
                && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(POLL_PAUSE.toNanos());
        }
        assertThat(longValue(value.get())).isEqualTo(expected);
    }

    @Nullable
    private static Long longValue(@Nullable Number number) {
        return number == null ? null : number.longValue();
    }
}
