package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SerializableFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.table.IcebergLakeTableITCase.rows;

/**
 * {@code 'sink.distribution-mode'} at sink parallelism 4 on a MiniCluster: 'hash' writes one file
 * per partition in a commit, 'none' several; partitions by Iceberg's bucket and day transforms land
 * where Iceberg's own pruning finds them.
 */
class LakeSinkDistributionITCase {

    private static final int PARALLELISM = 4;

    private static final Schema BY_PART =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()),
                    Types.NestedField.optional(3, "part", Types.IntegerType.get()));

    private static final Schema BY_TIME =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "name", Types.StringType.get()),
                    Types.NestedField.optional(3, "ts", Types.TimestampType.withoutZone()));

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private TableEnvironment batch;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.getConfig().set("table.exec.resource.default-parallelism", "4");
        batch.executeSql(
                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' ="
                        + " '4000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0',"
                        + " 'fields.id.end' = '3999')");
    }

    @Test
    void hashWritesOneFilePerPartitionAndNoneWritesMore() throws Exception {
        Table hashed = createByPart("hashed");
        Table spread = createByPart("spread");
        declare("hashed", "id BIGINT NOT NULL, name STRING, part INT", "hash");
        declare("spread", "id BIGINT NOT NULL, name STRING, part INT", "none");

        for (String table : List.of("hashed", "spread")) {
            batch.executeSql(
                            "INSERT INTO "
                                    + table
                                    + " SELECT id, CONCAT('name-', CAST(id AS STRING)),"
                                    + " CAST(id % 3 AS INT) FROM gen")
                    .await();
        }

        assertThat(filesPerPartition(hashed)).isEqualTo(Map.of(0, 1L, 1, 1L, 2, 1L));
        assertThat(filesPerPartition(spread).values()).hasSize(3).allMatch(files -> files > 1);
        for (String table : List.of("hashed", "spread")) {
            assertThat(rows(batch, "SELECT part, COUNT(*) FROM " + table + " GROUP BY part"))
                    .containsExactlyInAnyOrder("+I[0, 1334]", "+I[1, 1333]", "+I[2, 1333]");
        }
    }

    /** Without the option, the Iceberg table's 'write.distribution-mode' decides, as in Iceberg. */
    @Test
    void theIcebergTablePropertyIsTheDefault() throws Exception {
        Table table = createByPart("byproperty");
        table.updateProperties().set("write.distribution-mode", "hash").commit();
        declare("byproperty", "id BIGINT NOT NULL, name STRING, part INT", null);

        batch.executeSql(
                        "INSERT INTO byproperty SELECT id, CAST(id AS STRING), CAST(id % 3 AS INT)"
                                + " FROM gen")
                .await();

        assertThat(filesPerPartition(table)).isEqualTo(Map.of(0, 1L, 1, 1L, 2, 1L));
    }

    /** Iceberg's pruning by id and by day finds every row: its file holds its own partition. */
    @Test
    void bucketAndDayPartitionsHoldTheirRows() throws Exception {
        Table table =
                tables.create(
                        "events",
                        BY_TIME,
                        PartitionSpec.builderFor(BY_TIME).bucket("id", 4).day("ts").build());
        declare("events", "id BIGINT NOT NULL, name STRING, ts TIMESTAMP(6)", "hash");

        batch.executeSql(
                        "INSERT INTO events SELECT id, CAST(id AS STRING),"
                                + " TIMESTAMPADD(DAY, CAST(id % 3 AS INT), TIMESTAMP '2024-01-01"
                                + " 10:00:00') FROM gen WHERE id < 40")
                .await();

        table.refresh();
        SerializableFunction<Object, Integer> bucket =
                Transforms.bucket(4).bind(Types.LongType.get());
        Set<List<Integer>> expected = new TreeSet<>(LakeSinkDistributionITCase::compare);
        for (long id = 0; id < 40; id++) {
            int day = (int) LocalDate.of(2024, 1, 1).plusDays(id % 3).toEpochDay();
            expected.add(List.of(bucket.apply(id), day));
        }
        List<List<Integer>> partitions = new ArrayList<>();
        for (DataFile file : IcebergTestTables.dataFiles(table)) {
            partitions.add(
                    List.of(
                            file.partition().get(0, Integer.class),
                            file.partition().get(1, Integer.class)));
        }
        assertThat(partitions)
                .as("hash: one file per (bucket, day)")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
        for (long id = 0; id < 40; id++) {
            assertThat(ids(table, Expressions.equal("id", id))).containsExactly(id);
        }
        LocalDateTime secondDay = LocalDateTime.of(2024, 1, 2, 0, 0);
        assertThat(
                        ids(
                                table,
                                Expressions.and(
                                        Expressions.greaterThanOrEqual("ts", secondDay.toString()),
                                        Expressions.lessThan(
                                                "ts", secondDay.plusDays(1).toString()))))
                .hasSize(13)
                .allMatch(id -> id % 3 == 1);
        assertThat(rows(batch, "SELECT ts FROM events WHERE id = 5"))
                .containsExactly("2024-01-03T10:00");
    }

    /** Delta: keyed by the partition columns' values. */
    @Test
    void hashWritesOneFilePerDeltaPartition() throws Exception {
        DeltaTestTables delta = new DeltaTestTables(warehouse.resolve("delta"));
        String path = delta.createPartitioned("events");
        batch.executeSql(
                String.format(
                        "CREATE TABLE events (id BIGINT NOT NULL, name STRING, `day` STRING) WITH"
                                + " ('connector' = 'lake', 'table-format' = 'delta', 'path' ="
                                + " '%s', 'sink.parallelism' = '4', 'sink.distribution-mode' ="
                                + " 'hash')",
                        path));

        batch.executeSql(
                        "INSERT INTO events SELECT id, CAST(id AS STRING), CONCAT('d',"
                                + " CAST(id % 3 AS STRING)) FROM gen")
                .await();

        Map<String, Long> filesPerDay;
        try (Stream<Path> files = Files.walk(Path.of(path))) {
            filesPerDay =
                    files.map(Path::toString)
                            .filter(f -> f.endsWith(".parquet"))
                            .collect(
                                    Collectors.groupingBy(
                                            f -> f.replaceAll(".*day=(d[0-9]).*", "$1"),
                                            Collectors.counting()));
        }
        assertThat(filesPerDay).isEqualTo(Map.of("d0", 1L, "d1", 1L, "d2", 1L));
        assertThat(rows(batch, "SELECT `day`, COUNT(*) FROM events GROUP BY `day`"))
                .containsExactlyInAnyOrder("+I[d0, 1334]", "+I[d1, 1333]", "+I[d2, 1333]");
    }

    @Test
    void anUnknownDistributionModeIsRejectedNamingTheValidOnes() {
        createByPart("bad");
        declare("bad", "id BIGINT NOT NULL, name STRING, part INT", "range");

        assertThatThrownBy(
                        () ->
                                batch.explainSql(
                                        "INSERT INTO bad VALUES (CAST(1 AS BIGINT), 'a', 1)"))
                .hasStackTraceContaining("sink.distribution-mode")
                .hasStackTraceContaining("none")
                .hasStackTraceContaining("hash");
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        int first = Integer.compare(a.get(0), b.get(0));
        return first != 0 ? first : Integer.compare(a.get(1), b.get(1));
    }

    private static List<Long> ids(Table table, org.apache.iceberg.expressions.Expression filter)
            throws Exception {
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> records =
                IcebergGenerics.read(table).where(filter).build()) {
            records.forEach(r -> ids.add((Long) r.getField("id")));
        }
        return ids;
    }

    private Table createByPart(String name) {
        return tables.create(
                name, BY_PART, PartitionSpec.builderFor(BY_PART).identity("part").build());
    }

    private static Map<Integer, Long> filesPerPartition(Table table) throws Exception {
        table.refresh();
        return IcebergTestTables.dataFiles(table).stream()
                .collect(
                        Collectors.groupingBy(
                                f -> f.partition().get(0, Integer.class), Collectors.counting()));
    }

    /**
     * @param mode the 'sink.distribution-mode', or null to leave it unset
     */
    private void declare(String name, String columns, String mode) {
        batch.executeSql(
                String.format(
                        "CREATE TABLE %s (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " '%s', 'sink.parallelism' = '4'%s)",
                        name,
                        columns,
                        tables.warehouse(),
                        name,
                        mode == null ? "" : ", 'sink.distribution-mode' = '" + mode + "'"));
    }
}
