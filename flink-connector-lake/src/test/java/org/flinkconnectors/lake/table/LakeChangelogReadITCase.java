package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.IcebergTestTables;
import org.flinkconnectors.lake.testutils.SparkFixtures;
import org.flinkconnectors.lake.testutils.SparkFixtures.DeltaVersion;
import org.flinkconnectors.lake.testutils.SparkFixtures.IcebergSnapshot;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.CollectionUtil;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code 'scan.changelog' = 'true'} streaming reads on a MiniCluster with two readers: the changes
 * of tables Spark wrote with DELETE, UPDATE and MERGE (Iceberg merge-on-read: position deletes,
 * deletion vectors; Delta with the change data feed: change data files, deletion vectors) and of a
 * table our own upsert sink wrote (equality deletes), replayed in commit order, give the table
 * Spark or a batch read sees at every snapshot or version; a grouped aggregate over the changelog
 * equals the same aggregate over the table.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LakeChangelogReadITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String COLUMNS =
            "id INT, name STRING, amount BIGINT, region STRING,"
                    + " version BIGINT METADATA FROM 'snapshot-id' VIRTUAL";

    @TempDir Path warehouse;

    @ParameterizedTest
    @ValueSource(strings = {"spark_mor_v2", "spark_mor_v3"})
    void sparkMergeOnReadChangesReplayToEverySnapshot(String name) throws Exception {
        SparkFixtures.copyIcebergTable(name, warehouse);
        List<IcebergSnapshot> snapshots = SparkFixtures.icebergSnapshots(name);
        TableEnvironment env = streaming();
        declare(env, name, COLUMNS, "");

        Map<Long, List<Row>> changes =
                readChanges(
                        env,
                        "SELECT * FROM t /*+ OPTIONS('scan.mode' = 'from-snapshot',"
                                + " 'scan.startup.snapshot-id' = '"
                                + snapshots.get(0).id()
                                + "') */",
                        SparkFixtures.icebergRows(name, last(snapshots).id()));

        Map<String, Integer> table = new HashMap<>();
        for (IcebergSnapshot snapshot : snapshots) {
            List<Row> rows = changes.getOrDefault(snapshot.id(), List.of());
            apply(table, rows, snapshot.id());
            assertThat(sorted(table))
                    .as("%s replayed to snapshot %s (%s)", name, snapshot.id(), snapshot.step())
                    .isEqualTo(SparkFixtures.icebergRows(name, snapshot.id()));
        }
        assertThat(changes.keySet())
                .as("every change belongs to a snapshot read")
                .allMatch(id -> snapshots.stream().anyMatch(s -> s.id() == id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_cdf_cow", "spark_cdf_dv"})
    void sparkChangeDataFeedReplaysToEveryVersion(String name) throws Exception {
        List<DeltaVersion> versions = SparkFixtures.deltaVersions(name);
        TableEnvironment env = streaming();
        env.executeSql(
                String.format(
                        "CREATE TABLE t (id INT, name STRING, amount BIGINT, region STRING,"
                                + " version BIGINT METADATA VIRTUAL) WITH ('connector' = 'lake',"
                                + " 'table-format' = 'delta', 'path' = '%s', 'scan.changelog' ="
                                + " 'true', 'scan.monitor-interval' = '1 s', 'scan.mode' ="
                                + " 'from-version', 'scan.startup.version' = '1')",
                        SparkFixtures.deltaTable(name)));

        Map<Long, List<Row>> changes =
                readChanges(
                        env,
                        "SELECT * FROM t",
                        SparkFixtures.deltaRows(name, last(versions).version()));

        Map<String, Integer> table = new HashMap<>();
        for (DeltaVersion version : versions) {
            apply(table, changes.getOrDefault(version.version(), List.of()), version.version());
            assertThat(sorted(table))
                    .as("%s replayed to version %s (%s)", name, version.version(), version.step())
                    .isEqualTo(SparkFixtures.deltaRows(name, version.version()));
        }
    }

    @Test
    void aBoundedChangelogBetweenTwoSnapshotsEndsAndHoldsExactlyTheirChanges() throws Exception {
        String name = "spark_mor_v3";
        SparkFixtures.copyIcebergTable(name, warehouse);
        List<IcebergSnapshot> snapshots = SparkFixtures.icebergSnapshots(name);
        TableEnvironment env = streaming();
        declare(env, name, COLUMNS, "");

        List<Row> changes =
                CollectionUtil.iteratorToList(
                        env.executeSql(
                                        "SELECT * FROM t /*+ OPTIONS('scan.mode' ="
                                                + " 'from-snapshot', 'scan.startup.snapshot-id' = '"
                                                + snapshots.get(1).id()
                                                + "', 'scan.end-snapshot-id' = '"
                                                + snapshots.get(3).id()
                                                + "') */")
                                .collect());

        Map<String, Integer> table = new HashMap<>();
        SparkFixtures.icebergRows(name, snapshots.get(0).id())
                .forEach(row -> table.merge(row, 1, Integer::sum));
        for (IcebergSnapshot snapshot : snapshots.subList(1, 4)) {
            apply(
                    table,
                    changes.stream()
                            .filter(row -> (Long) row.getField(4) == snapshot.id())
                            .toList(),
                    snapshot.id());
        }
        assertThat(sorted(table)).isEqualTo(SparkFixtures.icebergRows(name, snapshots.get(3).id()));
        assertThat(changes)
                .extracting(row -> (Long) row.getField(4))
                .allMatch(id -> snapshots.subList(1, 4).stream().anyMatch(s -> s.id() == id));
    }

    @Test
    void aGroupedAggregateOverTheChangelogEqualsTheAggregateOverTheTable() throws Exception {
        String name = "spark_mor_v2";
        SparkFixtures.copyIcebergTable(name, warehouse);
        TableEnvironment env = streaming();
        declare(env, name, COLUMNS, ", 'scan.mode' = 'earliest'");
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql(
                String.format(
                        "CREATE TABLE t (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " '%s')",
                        COLUMNS, warehouse.toUri(), name));
        // Earliest reads the latest snapshot whole; from its first snapshot, the read is changes.
        long first = SparkFixtures.icebergSnapshots(name).get(0).id();
        String aggregate = "SELECT region, COUNT(*), SUM(amount) FROM t%s GROUP BY region";
        List<String> expected =
                CollectionUtil.iteratorToList(
                                batch.executeSql(String.format(aggregate, "")).collect())
                        .stream()
                        .map(LakeChangelogReadITCase::csv)
                        .sorted()
                        .toList();

        String fromFirst =
                " /*+ OPTIONS('scan.mode' = 'from-snapshot', 'scan.startup.snapshot-id' = '"
                        + first
                        + "') */";
        TableResult result = env.executeSql(String.format(aggregate, fromFirst));
        Map<String, String> byRegion = new TreeMap<>();
        try (CloseableIterator<Row> rows = result.collect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!new ArrayList<>(byRegion.values()).equals(expected)) {
                assertThat(System.nanoTime())
                        .as("the aggregate reaching %s", expected)
                        .isLessThan(deadline);
                Row row = rows.next();
                String region = (String) row.getField(0);
                if (row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER) {
                    byRegion.put(region, csv(row));
                } else {
                    byRegion.remove(region);
                }
            }
        } finally {
            result.getJobClient().orElseThrow().cancel();
        }
        assertThat(new ArrayList<>(byRegion.values())).isEqualTo(expected);
    }

    @Test
    void theChangesOfOurOwnUpsertSinkReplayToEverySnapshot() throws Exception {
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql(
                String.format(
                        "CREATE TABLE t (id INT NOT NULL, name STRING, amount BIGINT, region"
                                + " STRING, PRIMARY KEY (id, region) NOT ENFORCED) PARTITIONED BY"
                                + " (region) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " 'upserts', 'sink.create-table' = 'true')",
                        warehouse.toUri()));
        batch.executeSql(
                        "INSERT INTO t VALUES (1, 'a', 10, 'eu'), (2, 'b', 20, 'eu'),"
                                + " (3, 'c', 30, 'us'), (4, 'd', 40, 'us')")
                .await();
        batch.executeSql("INSERT INTO t VALUES (1, 'a2', 11, 'eu'), (3, 'c2', 31, 'us')").await();
        batch.executeSql("INSERT INTO t VALUES (5, 'e', 50, 'us'), (2, 'b2', 21, 'eu')").await();

        TableEnvironment env = streaming();
        declare(env, "upserts", COLUMNS, "");
        List<Long> versions = new ArrayList<>();
        Map<Long, List<String>> tableAt = new LinkedHashMap<>();
        new IcebergTestTables(warehouse)
                .load("upserts")
                .snapshots()
                .forEach(snapshot -> versions.add(snapshot.snapshotId()));
        for (long version : versions) {
            tableAt.put(version, batchRows(batch, version));
        }
        Map<Long, List<Row>> changes =
                readChanges(
                        env,
                        "SELECT * FROM t /*+ OPTIONS('scan.mode' = 'from-snapshot',"
                                + " 'scan.startup.snapshot-id' = '"
                                + versions.get(0)
                                + "') */",
                        tableAt.get(versions.get(versions.size() - 1)));
        Map<String, Integer> table = new HashMap<>();
        for (long version : versions) {
            apply(table, changes.getOrDefault(version, List.of()), version);
            assertThat(sorted(table)).as("replayed to %s", version).isEqualTo(tableAt.get(version));
        }
    }

    private List<String> batchRows(TableEnvironment batch, long version) {
        return CollectionUtil.iteratorToList(
                        batch.executeSql(
                                        "SELECT id, name, amount, region FROM t /*+ OPTIONS("
                                                + "'scan.snapshot-id' = '"
                                                + version
                                                + "') */ ORDER BY id")
                                .collect())
                .stream()
                .map(LakeChangelogReadITCase::csv)
                .toList();
    }

    private TableEnvironment streaming() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "2");
        return env;
    }

    private void declare(TableEnvironment env, String table, String columns, String options) {
        env.executeSql(
                String.format(
                        "CREATE TABLE t (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " '%s', 'scan.changelog' = 'true', 'scan.monitor-interval' ="
                                + " '1 s'%s)",
                        columns, warehouse.toUri(), table, options));
    }

    /**
     * Reads the changelog until replaying it gives {@code finalRows}; returns the changes by the
     * snapshot id they carry, each snapshot's in arrival order.
     */
    private static Map<Long, List<Row>> readChanges(
            TableEnvironment env, String query, List<String> finalRows) throws Exception {
        Map<Long, List<Row>> bySnapshot = new LinkedHashMap<>();
        Map<String, Integer> replayed = new HashMap<>();
        TableResult result = env.executeSql(query);
        try (CloseableIterator<Row> rows = result.collect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!sorted(replayed).equals(finalRows)) {
                assertThat(System.nanoTime())
                        .as("the changelog reaching the last snapshot")
                        .isLessThan(deadline);
                Row row = rows.next();
                long version = (Long) row.getField(row.getArity() - 1);
                bySnapshot.computeIfAbsent(version, v -> new ArrayList<>()).add(row);
                apply(replayed, List.of(row), version);
            }
        } finally {
            result.getJobClient().orElseThrow().cancel();
        }
        return bySnapshot;
    }

    /** Applies changes to a multiset of rows; a delete must find its row. */
    private static void apply(Map<String, Integer> table, List<Row> changes, long version) {
        for (Row change : changes) {
            String row = csv(change, change.getArity() - 1);
            if (change.getKind() == RowKind.INSERT) {
                table.merge(row, 1, Integer::sum);
            } else {
                assertThat(change.getKind()).isEqualTo(RowKind.DELETE);
                assertThat(table.getOrDefault(row, 0))
                        .as("row %s deleted by %s is there", row, version)
                        .isPositive();
                table.merge(row, -1, (a, b) -> a + b == 0 ? null : a + b);
            }
        }
    }

    private static List<String> sorted(Map<String, Integer> table) {
        List<String> rows = new ArrayList<>();
        table.forEach((row, count) -> IntStream.range(0, count).forEach(i -> rows.add(row)));
        rows.sort(
                (a, b) ->
                        Integer.compare(
                                Integer.parseInt(a.substring(0, a.indexOf(','))),
                                Integer.parseInt(b.substring(0, b.indexOf(',')))));
        return rows;
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static String csv(Row row) {
        return csv(row, row.getArity());
    }

    private static String csv(Row row, int columns) {
        return IntStream.range(0, columns)
                .mapToObj(i -> Objects.toString(row.getField(i), ""))
                .collect(Collectors.joining(","));
    }
}
