package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.testutils.FailOnceAfterCheckpoint;
import org.flinkconnectors.base.testutils.FailoverJobs;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.api.common.JobID;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.aliyun.odps.data.Record;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once into MaxCompute under failures: a TaskManager is killed, or a task throws between
 * checkpoints, or the service answers with 5xx while the sink writes into dynamic partitions;
 * afterwards every id is in the table exactly once.
 */
class OdpsSinkFailoverITCase {

    private static final int RECORDS = 6_000;
    private static final int PARALLELISM = 2;

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void taskManagerLossLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, "sink_tm_loss", OdpsTestTables.idNameSchema(true));
        JobID job = submit(table.name(), false);

        CommonTestUtils.waitUtil(
                () -> OdpsTestTables.committedIds(table).size() >= RECORDS / 4,
                Duration.ofMinutes(2),
                "waiting for a quarter of the rows to be committed");
        cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
        cluster.terminateTaskManager(1).get(30, TimeUnit.SECONDS);
        cluster.startTaskManager();
        cluster.startTaskManager();

        cluster.requestJobResult(job).get(3, TimeUnit.MINUTES);
        assertThat(FailOnceAfterCheckpoint.taskStarts())
                .as("tasks started (restarts)")
                .isGreaterThan(PARALLELISM);
        assertExactlyOnce(table);
    }

    @Test
    void taskExceptionAndServerErrorsLoseAndDuplicateNothing(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(
                        ODPS, "sink_exception", OdpsTestTables.idNameSchema(true));
        // Transient 503s on block uploads and commits: retried with backoff, never duplicated.
        ODPS.faults().failRequests(r -> r.has("blockid"), 3, 503);
        ODPS.faults().failRequests(r -> r.has("uploadid") && r.method().equals("POST"), 2, 503);
        JobID job = submit(table.name(), true);

        cluster.requestJobResult(job).get(3, TimeUnit.MINUTES);
        assertThat(FailOnceAfterCheckpoint.failed()).isTrue();
        assertThat(ODPS.faults().pending()).as("injected faults not fired").isZero();
        assertExactlyOnce(table);
    }

    private JobID submit(String table, boolean failOnce) throws Exception {
        StreamExecutionEnvironment env = FailoverJobs.environment(PARALLELISM);
        FailoverJobs.numbers(env, RECORDS, failOnce)
                .sinkTo(
                        OdpsSink.<Long>builder()
                                .setConnection(OdpsTestTables.connection(ODPS))
                                .setTable(table)
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setMaxBlockRows(250)
                                .setSerializationSchema(new IdNameByDay())
                                .build());
        return env.executeAsync("odps exactly-once " + table).getJobID();
    }

    private static void assertExactlyOnce(ServerTable table) {
        List<Long> ids = OdpsTestTables.committedIds(table);
        assertThat(ids).hasSize(RECORDS);
        assertThat(ids.stream().distinct().count()).as("distinct ids").isEqualTo(RECORDS);
        assertThat(table.partitions()).hasSize(3);
        for (var partition : table.partitions()) {
            for (Record row : partition.rows()) {
                assertThat(partition.spec()).isEqualTo("ds=d" + (row.getBigint(0) % 3));
            }
        }
    }

    /** Writes {@code (id, "name-id")} into partition {@code ds=d<id % 3>}. */
    static final class IdNameByDay implements OdpsRecordSerializationSchema<Long> {
        @Override
        public void serialize(Long element, Record target) {
            target.setBigint(0, element);
            target.setString(1, "name-" + element);
        }

        @Override
        public String partitionOf(Long element) {
            return "ds=d" + (element % 3);
        }
    }
}
