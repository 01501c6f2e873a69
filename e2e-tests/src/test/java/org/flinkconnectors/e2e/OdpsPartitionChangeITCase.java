package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MaxCompute partitions changing under the 'odps' connector, on a real standalone cluster through
 * the SQL jar, each case counted with the test server's committed rows:
 *
 * <ul>
 *   <li>a partition the streaming source already read is overwritten with more rows than before: by
 *       default the job fails naming table, partition and change; with {@code
 *       'scan.on-partition-change' = 'reread'} the new contents are copied as well, once;
 *   <li>a partition of a primary-key table is dropped and recreated between a checkpoint and the
 *       commit of its upsert sessions: the job fails naming session and partition, takes nothing as
 *       committed, and a replay of the input (what the message advises) leaves every key once.
 * </ul>
 */
class OdpsPartitionChangeITCase extends OdpsFaultsTestBase {

    /** What the overwrite puts into the partition the source read: more rows, other ids. */
    private static final long OVERWRITE_IDS = 120_000;

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    @BeforeAll
    static void startFlink() throws Exception {
        startCluster();
    }

    /**
     * With the default {@code 'fail'} the overwrite is neither read nor taken for appended rows.
     */
    @Test
    void aReadPartitionOverwrittenWithMoreRowsFailsTheStreamingJob() throws Exception {
        StreamingCopy copy = StreamingCopy.start("overwrite_fail", "");
        copy.overwriteReadPartition();

        assertThat(cluster.awaitJobTermination(copy.jobId, JOB_TIMEOUT)).isEqualTo("FAILED");
        String error = cluster.jobException(copy.jobId);
        progress("overwritten partition, 'fail': " + lineWith(error, "changed other than"));
        assertThat(error)
                .contains(
                        "Partition ds=1 of table "
                                + OdpsTestServer.DEFAULT_PROJECT
                                + "."
                                + copy.source.name()
                                + " changed other than by appending rows: it has "
                                + OVERWRITE_IDS
                                + " rows now ("
                                + IDS
                                + " were read), but row 0 is no longer the same")
                .contains("'scan.on-partition-change' = 'reread'");
        IdCount count = IdCount.of("odps copy, fail", IDS, copy.committedIds());
        progress("overwritten partition, 'fail': " + count);
        assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
    }

    /**
     * With {@code 'reread'} the connector promises the new contents from their first row, the rows
     * already emitted staying emitted: here, where the overwrite holds other ids, every id of the
     * old and the new contents once. A partition created afterwards arrives as well.
     */
    @Test
    void aReadPartitionOverwrittenWithMoreRowsIsCopiedAgainWithReread() throws Exception {
        StreamingCopy copy =
                StreamingCopy.start("overwrite_reread", ", 'scan.on-partition-change' = 'reread'");
        copy.overwriteReadPartition();
        copy.awaitCommittedRows(IDS + OVERWRITE_IDS);

        long lastId = IDS + OVERWRITE_IDS + 1;
        ODPS.store()
                .append(
                        OdpsTestServer.DEFAULT_PROJECT,
                        copy.source.name(),
                        "ds=2",
                        OdpsTestTables.idNameRows(lastId, 1, id -> "later"));
        copy.awaitCommittedRows(lastId);
        // Two more checkpoints: time for discoveries that would wrongly read ds=1 once more.
        int completed =
                cluster.rest("/jobs/" + copy.jobId + "/checkpoints")
                        .at("/counts/completed")
                        .asInt();
        cluster.awaitCompletedCheckpoints(copy.jobId, completed + 2);
        cluster.cancelJob(copy.jobId);

        IdCount count = IdCount.of("odps copy, reread", lastId, copy.committedIds());
        progress("overwritten partition, 'reread': " + count);
        assertThat(count.exactlyOnce()).as(count.toString()).isTrue();
        assertThat(cluster.logLines("Reading its " + OVERWRITE_IDS + " rows again"))
                .as("the source's warning about the re-read partition")
                .isNotEmpty();
    }

    /**
     * Upserts into partitions {@code even} and {@code odd} of a primary-key table; MaxCompute holds
     * the first commit of an {@code odd} session for a second (checkpoints come every two), and the
     * test drops and recreates that partition meanwhile. The commit then meets a session of a
     * partition that no longer exists: the job must fail naming session and partition, and must not
     * take the changes as committed. Replaying the input without state, as the message advises,
     * leaves every key once with its last value.
     */
    @Test
    void aPartitionDroppedAndRecreatedBeforeItsUpsertCommitFailsTheJobClearly() throws Exception {
        ServerTable table = keyValueTable(ODPS, "recreated_ups", true);
        String insert =
                "INSERT INTO ups SELECT k, MAX(id), ds FROM (SELECT (id - 1) / 2 AS k, id,"
                        + " IF(MOD((id - 1) / 2, 2) = 0, 'even', 'odd') AS ds FROM gen)"
                        + " GROUP BY k, ds";
        String jobId;
        ODPS.faults().delayRequests(upsertCommitOf(table, "ds=odd"), 1, Duration.ofSeconds(1));
        try {
            try (Session session = openSession(Map.of("execution.checkpointing.interval", "2s"))) {
                declareIdSequence(session, IDS, 10_000);
                declareKeyValues(session, ODPS, table, true);
                jobId = run(session, insert).jobId();
            }
            Polling.poll(
                    "an upsert commit of partition ds=odd to arrive",
                    COPY_TIMEOUT,
                    () -> ODPS.faults().pending() == 0 ? Optional.of(true) : Optional.empty());
            assertThat(table.dropPartition("ds=odd")).isTrue();
            table.partitionOrCreate("ds=odd");
            progress("dropped and recreated ds=odd while its commit was held");

            assertThat(cluster.awaitJobTermination(jobId, JOB_TIMEOUT)).isEqualTo("FAILED");
        } finally {
            ODPS.faults().clear();
        }
        String error = cluster.jobException(jobId);
        progress("partition dropped and recreated: " + lineWith(error, "no longer knows"));
        assertThat(error)
                .contains("MaxCompute no longer knows upsert session")
                .contains(
                        "of partition ds=odd of table "
                                + OdpsTestServer.DEFAULT_PROJECT
                                + "."
                                + table.name())
                .contains("its partition was dropped")
                .contains("Check the partition")
                .contains("otherwise write them again");
        assertThat(table.partition("ds=odd").rowCount())
                .as("changes of the dropped partition's sessions taken as committed")
                .isZero();
        UpsertCount afterFailure = keyValueCount("odps pk, failed", table);
        progress("partition dropped and recreated, failed job: " + afterFailure);
        assertThat(afterFailure.duplicated()).isZero();

        String replay;
        try (Session session = openSession(Map.of("execution.checkpointing.interval", "1s"))) {
            declareIdSequence(session, IDS, 50_000);
            declareKeyValues(session, ODPS, table, true);
            replay = run(session, insert).jobId();
        }
        assertThat(cluster.awaitJobTermination(replay, JOB_TIMEOUT))
                .as(() -> cluster.jobException(replay))
                .isEqualTo("FINISHED");
        UpsertCount replayed = keyValueCount("odps pk, replayed", table);
        progress("partition dropped and recreated, input replayed: " + replayed);
        assertThat(replayed.oneLastRowPerKey()).as(replayed.toString()).isTrue();
    }

    /** A streaming copy of an odps table (ids 1..N in ds=1) into another, exactly once. */
    private record StreamingCopy(ServerTable source, ServerTable sink, String jobId) {

        static StreamingCopy start(String name, String sourceOptions) throws Exception {
            ServerTable source =
                    OdpsTestTables.createTable(
                            ODPS, name + "_src", OdpsTestTables.idNameSchema(true));
            ServerTable sink =
                    OdpsTestTables.createTable(
                            ODPS, name + "_dst", OdpsTestTables.idNameSchema(true));
            ODPS.store()
                    .append(
                            OdpsTestServer.DEFAULT_PROJECT,
                            source.name(),
                            "ds=1",
                            OdpsTestTables.idNameRows(1, IDS, id -> "old"));
            String jobId;
            try (Session session = openSession(Map.of("execution.checkpointing.interval", "1s"))) {
                declareOdpsIds(
                        session,
                        "src",
                        ODPS,
                        source,
                        ", 'scan.partition-discovery.interval' = '1s', 'scan.split-rows' = '50000'"
                                + sourceOptions);
                declareOdpsIds(session, "dst", ODPS, sink, "");
                jobId = run(session, "INSERT INTO dst SELECT * FROM src").jobId();
            }
            StreamingCopy copy = new StreamingCopy(source, sink, jobId);
            copy.awaitCommittedRows(IDS);
            return copy;
        }

        /** Replaces partition ds=1, all of it read and committed, with more rows of other ids. */
        void overwriteReadPartition() {
            ODPS.store()
                    .overwrite(
                            OdpsTestServer.DEFAULT_PROJECT,
                            source.name(),
                            "ds=1",
                            OdpsTestTables.idNameRows(IDS + 1, OVERWRITE_IDS, id -> "new"));
            progress("overwrote ds=1 of " + source.name() + " with " + OVERWRITE_IDS + " rows");
        }

        void awaitCommittedRows(long rows) throws Exception {
            Polling.poll(
                    rows + " rows committed into " + sink.name(),
                    COPY_TIMEOUT,
                    () -> {
                        if (cluster.rest("/jobs/" + jobId)
                                .path("state")
                                .asText()
                                .equals("FAILED")) {
                            throw new AssertionError(cluster.jobException(jobId));
                        }
                        return sink.rowCount() >= rows ? Optional.of(true) : Optional.empty();
                    });
        }

        List<Long> committedIds() {
            return OdpsTestTables.committedIds(sink);
        }
    }

    /** The commit requests of the table's upsert sessions of one partition. */
    private static Predicate<ServerRequest> upsertCommitOf(ServerTable table, String partition) {
        return request ->
                request.service() == ServerRequest.Service.TUNNEL
                        && request.method().equals("POST")
                        && request.has("upsertid")
                        && request.resource().endsWith("/tables/" + table.name() + "/upserts")
                        && request.param("partition") != null
                        && table.canonicalSpec(request.param("partition")).equals(partition);
    }
}
