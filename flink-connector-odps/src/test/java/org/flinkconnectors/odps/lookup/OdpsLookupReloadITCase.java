package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.odps.testutils.OdpsTestServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.odps.lookup.LookupTestTables.appendDimension;
import static org.flinkconnectors.odps.lookup.LookupTestTables.createDimensionTable;
import static org.flinkconnectors.odps.lookup.LookupTestTables.sessionPartitions;

/**
 * The full cache of a streaming lookup join follows {@code max_pt()}: once a newer partition
 * appears, a periodic reload switches the cache to it and later probe rows join against it. The
 * probe side emits one row per permit the test hands out, so the test decides when rows arrive.
 */
class OdpsLookupReloadITCase {

    private static final Duration DEADLINE = Duration.ofMinutes(1);

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    /** One permit per probe row the source may emit. */
    private static final Semaphore PROBES = new Semaphore(0);

    @Test
    void periodicReloadSwitchesToTheNewestPartition() throws Exception {
        String dim = createDimensionTable(ODPS);
        appendDimension(ODPS, dim, "ds=20261120", "old-", 2);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment tableEnv = StreamTableEnvironment.create(env);
        DataStream<Long> probes =
                env.fromSource(
                        new DataGeneratorSource<>(new GatedCustomers(), Long.MAX_VALUE, Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "probes");
        tableEnv.createTemporaryView(
                "probes",
                tableEnv.fromDataStream(
                        probes,
                        Schema.newBuilder().columnByExpression("proc_time", "PROCTIME()").build()));
        tableEnv.executeSql(
                "CREATE TABLE dim (id BIGINT, name STRING, note STRING, ds STRING)"
                        + " PARTITIONED BY (ds) WITH ("
                        + LookupTestTables.options(ODPS, dim)
                        + ", 'partition' = 'max_pt()',"
                        + " 'lookup.full-cache.periodic-reload.interval' = '200 ms')");

        List<String> names = new ArrayList<>();
        try (CloseableIterator<Row> joined =
                tableEnv.executeSql(
                                "SELECT d.name FROM probes AS p"
                                        + " JOIN dim FOR SYSTEM_TIME AS OF p.proc_time AS d"
                                        + " ON p.f0 = d.id")
                        .collect()) {
            names.add(probe(joined));
            assertThat(names).containsExactly("old-1");

            appendDimension(ODPS, dim, "ds=20261121", "new-", 2);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!names.get(names.size() - 1).equals("new-1")) {
                assertThat(System.nanoTime()).as("reload within %s", DEADLINE).isLessThan(deadline);
                names.add(probe(joined));
            }
            // Once switched, the cache stays on the new partition.
            names.add(probe(joined));
            names.add(probe(joined));
        }

        int firstNew = names.indexOf("new-1");
        assertThat(names.subList(0, firstNew)).containsOnly("old-1");
        assertThat(names.subList(firstNew, names.size()))
                .containsOnly("new-1")
                .hasSizeGreaterThan(2);
        assertThat(sessionPartitions(ODPS, dim)).contains("ds=20261120", "ds=20261121");
    }

    /** Lets one probe row through and returns the name it joined. */
    private static String probe(CloseableIterator<Row> joined) {
        PROBES.release();
        return String.valueOf(joined.next().getField(0));
    }

    /** Customer 1 for every probe row, each as soon as the test hands out a permit. */
    private static final class GatedCustomers implements GeneratorFunction<Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long map(Long index) throws Exception {
            if (!PROBES.tryAcquire(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("The test handed out no probe row for " + DEADLINE);
            }
            return 1L;
        }
    }
}
