package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.ServerRequest;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.odps.lookup.LookupTestTables.appendDimension;
import static org.flinkconnectors.odps.lookup.LookupTestTables.createDimensionTable;
import static org.flinkconnectors.odps.lookup.LookupTestTables.createOrdersTable;
import static org.flinkconnectors.odps.lookup.LookupTestTables.isTunnelRequestOf;

/**
 * SQL lookup joins ({@code FOR SYSTEM_TIME AS OF}) against an {@code odps} dimension table, in
 * batch mode with an {@code odps} table as the probe side. What the server saw proves which
 * partitions and columns were downloaded and how many scans the caches caused. The reload of the
 * full cache in a running streaming job is in {@link OdpsLookupReloadITCase}.
 */
class OdpsLookupJoinITCase {

    /** How often the SDK's {@code TunnelRecordReader} tries to open a download by itself. */
    private static final int SDK_READER_ATTEMPTS = 4;

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
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    @Test
    void fullCacheLoadsOnlyTheMaxPartitionWithTheProjectedColumns() throws Exception {
        String dim = dimensionTable();
        String orders = ordersTable(new long[][] {{10, 1}, {11, 2}, {12, 4}});
        ODPS.clearRequests();

        List<String> rows =
                query(
                        env(dim, orders, "'partition' = 'max_pt()'"),
                        "SELECT o.order_id, d.name FROM orders AS o"
                                + " JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d"
                                + " ON o.customer = d.id");

        assertThat(rows).containsExactlyInAnyOrder("+I[10, new-1]", "+I[11, new-2]");
        assertThat(sessionPartitions(dim)).containsExactly("ds=20261121");
        assertThat(dataRequests(dim))
                .isNotEmpty()
                .allSatisfy(
                        r ->
                                assertThat(Arrays.asList(r.param("columns").split(",")))
                                        .containsExactlyInAnyOrder("id", "name"));
    }

    @Test
    void keysOnPartitionColumnsMatchLikeDataColumns() throws Exception {
        String dim = dimensionTable();
        String orders = ordersTable(new long[][] {{10, 1}, {11, 1}, {12, 2}});
        ODPS.clearRequests();

        List<String> rows =
                query(
                        env(dim, orders, "'lookup.full-cache.periodic-reload.interval' = '1 h'"),
                        "SELECT o.order_id, d.name, d.ds FROM orders AS o"
                                + " JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d"
                                + " ON o.customer = d.id"
                                + " AND d.ds = CASE WHEN o.order_id = 10 THEN '20261120'"
                                + " WHEN o.order_id = 11 THEN '20261121' ELSE '20261119' END");

        assertThat(rows)
                .containsExactlyInAnyOrder("+I[10, old-1, 20261120]", "+I[11, new-1, 20261121]");
        assertThat(sessionPartitions(dim)).containsExactlyInAnyOrder("ds=20261120", "ds=20261121");
    }

    @Test
    void partialCacheScansOncePerDistinctKeyIncludingMissingOnes() throws Exception {
        String dim = dimensionTable();
        String orders =
                ordersTable(
                        new long[][] {
                            {20, 1}, {21, 2}, {22, 1}, {23, 1}, {24, 2}, {25, 4}, {26, 4}
                        });
        ODPS.clearRequests();

        TableResult result =
                env(
                                dim,
                                orders,
                                "'partition' = 'max_pt()', 'lookup.cache' = 'PARTIAL',"
                                        + " 'lookup.partial-cache.max-rows' = '100'")
                        .executeSql(
                                "SELECT o.order_id, d.name FROM orders AS o"
                                        + " LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d"
                                        + " ON o.customer = d.id");
        List<String> rows = collect(result);

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        "+I[20, new-1]",
                        "+I[21, new-2]",
                        "+I[22, new-1]",
                        "+I[23, new-1]",
                        "+I[24, new-2]",
                        "+I[25, null]",
                        "+I[26, null]");
        // One scan per distinct key (1, 2, 4): the missing key is cached too.
        assertThat(sessionPartitions(dim)).hasSize(3).containsOnly("ds=20261121");
        assertThat(counterSum(result, OdpsLookupFunction.SCANS)).isEqualTo(3);
        assertThat(counterSum(result, OdpsLookupFunction.ROWS_SCANNED)).isEqualTo(9);
    }

    @Test
    void withoutCacheEveryProbeRowScans() throws Exception {
        String dim = dimensionTable();
        String orders = ordersTable(new long[][] {{30, 1}, {31, 1}, {32, 3}, {33, 5}});
        ODPS.clearRequests();

        List<String> rows =
                query(
                        env(dim, orders, "'partition' = 'max_pt()', 'lookup.cache' = 'NONE'"),
                        "SELECT o.order_id, d.name FROM orders AS o"
                                + " JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d"
                                + " ON o.customer = d.id");

        assertThat(rows)
                .containsExactlyInAnyOrder("+I[30, new-1]", "+I[31, new-1]", "+I[32, new-3]");
        assertThat(sessionPartitions(dim)).hasSize(4);
    }

    @Test
    void failedDownloadsAreRetriedUpToMaxRetries() throws Exception {
        String dim = dimensionTable();
        String orders = ordersTable(new long[][] {{40, 2}});
        String join =
                "SELECT o.order_id, d.name FROM orders AS o"
                        + " JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d ON o.customer = d.id";
        // Without client retries, and with as many failures as the SDK's reader tries to open a
        // download, only lookup.max-retries gets past them.
        String maxPt = "'partition' = 'max_pt()', 'client.max-retries' = '0', ";

        // Full cache: the split resumes where its download failed.
        ODPS.clearRequests();
        failNextDownload(dim);
        assertThat(query(env(dim, orders, maxPt + "'lookup.max-retries' = '1'"), join))
                .containsExactly("+I[40, new-2]");
        assertThat(dataRequests(dim)).hasSize(SDK_READER_ATTEMPTS + 1);

        // Partial cache: the whole scan is repeated with a new session.
        ODPS.clearRequests();
        failNextDownload(dim);
        String partial =
                maxPt
                        + "'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '10',"
                        + " 'lookup.max-retries' = '1'";
        assertThat(query(env(dim, orders, partial), join)).containsExactly("+I[40, new-2]");
        assertThat(sessionPartitions(dim)).hasSize(2);

        // No retries left: the job fails and names the partition.
        failNextDownload(dim);
        assertThatThrownBy(
                        () -> query(env(dim, orders, maxPt + "'lookup.max-retries' = '0'"), join))
                .hasStackTraceContaining("partition ds=20261121 of table")
                .hasStackTraceContaining("Injected fault");
        ODPS.faults().clear();
    }

    @Test
    void invalidLookupOptionsNameTheKeyAndTheValidValues() {
        String dim = dimensionTable();
        String orders = ordersTable(new long[][] {{50, 1}});
        String join =
                "SELECT o.order_id, d.name FROM orders AS o"
                        + " JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d ON o.customer = d.id";

        assertThatThrownBy(() -> query(env(dim, orders, "'lookup.cache' = 'LRU'"), join))
                .hasStackTraceContaining("lookup.cache")
                .hasStackTraceContaining("PARTIAL")
                .hasStackTraceContaining("FULL");
        assertThatThrownBy(() -> query(env(dim, orders, "'lookup.cache' = 'PARTIAL'"), join))
                .hasStackTraceContaining("lookup.partial-cache.max-rows")
                .hasStackTraceContaining("lookup.partial-cache.expire-after-write");
        assertThatThrownBy(
                        () ->
                                query(
                                        env(dim, orders, "'lookup.partial-cache.max-rows' = '5'"),
                                        join))
                .hasStackTraceContaining(
                        "'lookup.partial-cache.max-rows' applies only when 'lookup.cache' ="
                                + " 'PARTIAL'");
    }

    // ------------------------------------------------------------------------------------------

    /** {@code (id, name, note)} by {@code ds}: ids 1-3 named old-n and new-n in two days. */
    private static String dimensionTable() {
        String name = createDimensionTable(ODPS);
        appendDimension(ODPS, name, "ds=20261120", "old-", 3);
        appendDimension(ODPS, name, "ds=20261121", "new-", 3);
        return name;
    }

    private static String ordersTable(long[][] orders) {
        return createOrdersTable(ODPS, orders);
    }

    private static TableEnvironment env(String dim, String orders, String lookupOptions) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        // One lookup subtask, so that one cache sees every probe row.
        env.getConfig().set(CoreOptions.DEFAULT_PARALLELISM, 1);
        env.executeSql(
                "CREATE TABLE orders (order_id BIGINT, customer BIGINT, proc_time AS PROCTIME())"
                        + " WITH ("
                        + LookupTestTables.options(ODPS, orders)
                        + ")");
        env.executeSql(
                "CREATE TABLE dim (id BIGINT, name STRING, note STRING, ds STRING)"
                        + " PARTITIONED BY (ds) WITH ("
                        + LookupTestTables.options(ODPS, dim)
                        + (lookupOptions.isEmpty() ? "" : ", " + lookupOptions)
                        + ")");
        return env;
    }

    /** Fails the next download so often that the SDK's record reader gives up on it. */
    private static void failNextDownload(String table) {
        ODPS.faults()
                .failRequests(
                        r -> isTunnelRequestOf(r, table) && r.has("data"),
                        SDK_READER_ATTEMPTS,
                        400);
    }

    private static List<String> query(TableEnvironment env, String sql) throws Exception {
        return collect(env.executeSql(sql));
    }

    private static List<String> collect(TableResult result) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(row -> rows.add(row.toString()));
        }
        return rows;
    }

    private static List<String> sessionPartitions(String table) {
        return LookupTestTables.sessionPartitions(ODPS, table);
    }

    private static List<ServerRequest> dataRequests(String table) {
        return LookupTestTables.dataRequests(ODPS, table);
    }

    private static long counterSum(TableResult result, String name) {
        String jobId = result.getJobClient().orElseThrow().getJobID().toString();
        AtomicLong sum = new AtomicLong();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                METRICS.getMetricsByGroup().entrySet()) {
            if (jobId.equals(group.getKey().getAllVariables().get("<job_id>"))) {
                group.getValue()
                        .forEach(
                                (metricName, metric) -> {
                                    if (metricName.equals(name) && metric instanceof Counter) {
                                        sum.addAndGet(((Counter) metric).getCount());
                                    }
                                });
            }
        }
        return sum.get();
    }
}
