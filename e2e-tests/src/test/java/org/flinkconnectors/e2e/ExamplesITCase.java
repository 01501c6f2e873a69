package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.examples.RunExample;
import org.flinkconnectors.e2e.examples.RunExample.Outcome;
import org.flinkconnectors.e2e.examples.RunExample.QueryResult;
import org.flinkconnectors.odps.testutils.ServerPartition;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.types.Row;

import com.aliyun.odps.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every example of the repository's {@code examples/} directory through {@link RunExample}, in
 * this JVM against one set of embedded systems, and checks what it did with the systems' own
 * clients (a read_committed consumer, the MaxCompute test server's committed rows, Iceberg's
 * generic reader, Delta Kernel's scan) and the rows its queries ended with. A new example without a
 * case here fails {@link #everyExampleHasACase()}.
 */
class ExamplesITCase {

    private static EmbeddedSystems systems;

    @BeforeAll
    static void startSystems() throws Exception {
        systems = EmbeddedSystems.start();
    }

    @AfterAll
    static void stopSystems() throws Exception {
        if (systems != null) {
            systems.close();
        }
    }

    /** What an example must have done. */
    @FunctionalInterface
    interface Check {
        void verify(Outcome outcome, String stdout) throws Exception;
    }

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("streams", (Check) ExamplesITCase::streamsSql),
                Arguments.of("odps", (Check) ExamplesITCase::odpsSql),
                Arguments.of("lake", (Check) ExamplesITCase::lakeSql),
                Arguments.of("pipeline", (Check) ExamplesITCase::pipelineSql),
                Arguments.of("StreamsExample", (Check) ExamplesITCase::streamsDataStream),
                Arguments.of("OdpsExample", (Check) ExamplesITCase::odpsDataStream),
                Arguments.of("LakeExample", (Check) ExamplesITCase::lakeDataStream));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void runs(String example, Check check) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(stdout, printed), true, StandardCharsets.UTF_8));
        Outcome outcome;
        try {
            outcome = RunExample.run(systems, example);
        } finally {
            System.setOut(stdout);
        }
        check.verify(outcome, printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyExampleHasACase() throws IOException {
        Path root = Path.of(System.getProperty("project.root.dir", ".."));
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("examples/sql"))) {
            files.map(f -> f.getFileName().toString().replace(".sql", "")).forEach(found::add);
        }
        try (Stream<Path> files =
                Files.list(root.resolve("e2e-tests/src/main/java/org/flinkconnectors/examples"))) {
            files.map(f -> f.getFileName().toString().replace(".java", "")).forEach(found::add);
        }
        List<String> tested = examples().map(a -> (String) a.get()[0]).toList();
        assertThat(tested).containsExactlyInAnyOrderElementsOf(found);
        assertThat(RunExample.SQL_EXAMPLES).allMatch(tested::contains);
        assertThat(RunExample.DATASTREAM_EXAMPLES).allMatch(tested::contains);
    }

    private static void streamsSql(Outcome outcome, String stdout) throws Exception {
        assertExactlyOnce(kafkaIds("orders"), 1_000);
        assertThat(outcome.inserts()).isEqualTo(1);
        assertThat(rows(outcome.queries().get(0)))
                .containsExactly(List.of(1000L, 1000L, 1L, 1000L));
        // Per partition: both partitions of the topic, 1,000 orders in all.
        List<List<Object>> perPartition = rows(outcome.queries().get(1));
        assertThat(perPartition).hasSize(2);
        assertThat(perPartition.stream().mapToLong(r -> (Long) r.get(1)).sum()).isEqualTo(1_000);
    }

    private static void odpsSql(Outcome outcome, String stdout) {
        ServerTable sales = odpsTable("sales");
        assertExactlyOnce(odpsIds(sales), 1_000);
        assertThat(partitionRows(sales))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "ds=20261201", 300L,
                                "ds=20261202", 300L,
                                "ds=20261203", 300L,
                                "ds=20261204", 100L));
        // The query read the two partitions its filter selects.
        List<List<Object>> perDay = rows(outcome.queries().get(0));
        assertThat(perDay.stream().map(r -> r.get(0) + "=" + r.get(1)))
                .containsExactlyInAnyOrder("20261203=300", "20261204=100");
        // SHOW PARTITIONS
        assertThat(outcome.queries().get(1).rows()).hasSize(4);
    }

    private static void lakeSql(Outcome outcome, String stdout) throws Exception {
        assertExactlyOnce(
                IndependentReaders.icebergIds(outcome.warehouse(), "shop", "orders"), 600);
        assertExactlyOnce(
                IndependentReaders.deltaIds(outcome.warehouse().resolve("delta/orders")), 600);
        List<List<Object>> partition = rows(outcome.queries().get(0));
        assertThat(partition).hasSize(1);
        assertThat(partition.get(0).subList(0, 2)).containsExactly("20261202", 200L);
        assertThat(rows(outcome.queries().get(1))).containsExactly(List.of(600L, 600L));
    }

    private static void pipelineSql(Outcome outcome, String stdout) throws Exception {
        assertExactlyOnce(kafkaIds("pipeline-orders"), 2_000);
        assertExactlyOnce(odpsIds(odpsTable("orders_enriched")), 2_000);
        assertExactlyOnce(
                IndependentReaders.icebergIds(outcome.warehouse(), "shop", "orders_enriched"),
                2_000);
        // Every order found its customer in the lookup join.
        Map<Object, Object> perTier =
                rows(outcome.queries().get(0)).stream()
                        .collect(Collectors.toMap(r -> r.get(0), r -> r.get(1)));
        assertThat(perTier)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("gold", 500L, "silver", 1000L, "bronze", 500L));
    }

    private static void streamsDataStream(Outcome outcome, String stdout) throws Exception {
        assertExactlyOnce(kafkaIds(RunExample.DATASTREAM_TOPIC), 1_000);
        assertThat(stdout).contains("read 1000 back");
    }

    private static void odpsDataStream(Outcome outcome, String stdout) {
        ServerTable events = odpsTable("events");
        assertExactlyOnce(odpsIds(events), 900);
        assertThat(partitionRows(events))
                .hasSize(3)
                .allSatisfy((spec, n) -> assertThat(n).isEqualTo(300L));
        assertThat(stdout).contains("read 600 back");
    }

    private static void lakeDataStream(Outcome outcome, String stdout) throws Exception {
        assertExactlyOnce(
                IndependentReaders.icebergIds(outcome.warehouse(), "shop", "orders"), 1_000);
        assertThat(stdout).contains("read 250 rows of customer c1");
    }

    private static void assertExactlyOnce(List<Long> ids, long expected) {
        IdCount count = IdCount.of("ids", expected, ids);
        assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
    }

    private static List<Long> kafkaIds(String topic) throws Exception {
        return IndependentReaders.kafkaIds(systems.kafka().clientProperties(), topic);
    }

    private static ServerTable odpsTable(String name) {
        ServerTable table = systems.odps().store().table(RunExample.ODPS_PROJECT, name);
        assertThat(table).as("MaxCompute table " + name).isNotNull();
        return table;
    }

    private static List<Long> odpsIds(ServerTable table) {
        List<Long> ids = new ArrayList<>();
        for (ServerPartition partition : table.partitions()) {
            for (Record row : partition.rows()) {
                ids.add(row.getBigint(0));
            }
        }
        return ids;
    }

    private static Map<String, Long> partitionRows(ServerTable table) {
        Map<String, Long> rows = new TreeMap<>();
        for (ServerPartition partition : table.partitions()) {
            rows.put(partition.spec(), partition.rowCount());
        }
        return rows;
    }

    /** A query's rows as lists, DECIMALs as numbers without trailing zeros. */
    private static List<List<Object>> rows(QueryResult query) {
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : query.rows()) {
            List<Object> fields = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                Object field = row.getField(i);
                fields.add(field instanceof BigDecimal d ? d.stripTrailingZeros() : field);
            }
            rows.add(fields);
        }
        return rows;
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
