package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.append;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.builder;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.dataRequests;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.expected;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.sessionPartitions;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.uniqueTable;

/** Bounded reads through the real SDK against the test server, on a MiniCluster. */
class OdpsSourceITCase {

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

    @Test
    void readsEveryRowOfAnUnpartitionedTableExactlyOnceInParallel() throws Exception {
        String table = uniqueTable("plain");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(false));
        append(ODPS, table, "", 0, 6_000);
        append(ODPS, table, "", 6_000, 4_003);

        List<String> result = read(builder(ODPS, table).setSplitRows(1_000).build(), 2);

        assertThat(result).containsExactlyInAnyOrderElementsOf(expected("", 0, 10_003));
        // One session fixes the snapshot; eleven row ranges are read from it, each once.
        assertThat(sessionPartitions(ODPS, table)).containsExactly("");
        List<String> ranges =
                dataRequests(ODPS, table).stream()
                        .map(r -> r.param("rowrange"))
                        .collect(Collectors.toList());
        assertThat(ranges).hasSize(11).doesNotHaveDuplicates().contains("(10000,3)");
    }

    @Test
    void readsOnlySelectedPartitionsWithProjectedColumns() throws Exception {
        String table = uniqueTable("parted");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(true));
        append(ODPS, table, "ds=20261120", 0, 30);
        append(ODPS, table, "ds=20261121", 100, 40);
        append(ODPS, table, "ds=20261122", 200, 50);

        List<String> result =
                read(
                        builder(ODPS, table)
                                .setDeserializer(new OdpsSourceTestData.FirstColumnAsString())
                                .setColumns(List.of("name"))
                                .setSplitRows(16)
                                .setPartitionSelector(specs -> specs.subList(1, specs.size()))
                                .build(),
                        2);

        List<String> expected = new ArrayList<>();
        for (int id = 100; id < 140; id++) {
            expected.add("ds=20261121/1/n" + id);
        }
        for (int id = 200; id < 250; id++) {
            expected.add("ds=20261122/1/n" + id);
        }
        assertThat(result).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(sessionPartitions(ODPS, table))
                .containsExactlyInAnyOrder("ds=20261121", "ds=20261122");
        List<ServerRequest> reads = dataRequests(ODPS, table);
        assertThat(reads).hasSize(3 + 4);
        assertThat(reads).allSatisfy(r -> assertThat(r.param("columns")).isEqualTo("name"));
    }

    @Test
    void limitStopsReadingEarly() throws Exception {
        String table = uniqueTable("limited");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(false));
        append(ODPS, table, "", 0, 10_000);

        List<String> result = read(builder(ODPS, table).setSplitRows(1_000).setLimit(5).build(), 1);

        assertThat(result).hasSize(5).isSubsetOf(expected("", 0, 10_000));
        // The first split's download was cut short; the other nine splits were never downloaded.
        assertThat(dataRequests(ODPS, table)).hasSize(1);
    }

    @Test
    void missingTableFailsNamingIt() {
        assertThatThrownBy(() -> read(builder(ODPS, "no_such_table").build(), 1))
                .satisfies(
                        e ->
                                assertThat(rootCauseMessages(e))
                                        .contains(
                                                "MaxCompute table "
                                                        + OdpsTestServer.DEFAULT_PROJECT
                                                        + ".no_such_table does not exist"));
    }

    @Test
    void selectedPartitionThatDisappearsFailsABoundedReadNamingIt() {
        String table = uniqueTable("vanishing");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(true));
        append(ODPS, table, "ds=1", 0, 3);
        // Listed, then gone when the session is opened: the service answers 404.
        ODPS.faults()
                .failRequests(
                        r -> r.has("downloads") && r.resource().endsWith("/tables/" + table),
                        1,
                        404);

        assertThatThrownBy(() -> read(builder(ODPS, table).build(), 1))
                .satisfies(
                        e ->
                                assertThat(rootCauseMessages(e))
                                        .contains(
                                                "Partition ds=1 of table "
                                                        + OdpsTestServer.DEFAULT_PROJECT
                                                        + "."
                                                        + table
                                                        + " was selected but disappeared"));
    }

    @Test
    void unknownProjectedColumnFailsNamingIt() {
        String table = uniqueTable("columns");
        OdpsTestTables.createTable(ODPS, table, OdpsTestTables.idNameSchema(true));
        append(ODPS, table, "ds=1", 0, 3);

        assertThatThrownBy(() -> read(builder(ODPS, table).setColumns(List.of("ds")).build(), 1))
                .satisfies(
                        e ->
                                assertThat(rootCauseMessages(e))
                                        .contains("Column 'ds' is a partition column")
                                        .contains("Data columns: [id, name]"));
    }

    private static List<String> read(OdpsSource<String> source, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        List<String> result = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "odps")
                        .executeAndCollect("odps-bounded")) {
            it.forEachRemaining(result::add);
        }
        return result;
    }

    private static String rootCauseMessages(Throwable error) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
