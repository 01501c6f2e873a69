package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.sink.CommitMetrics;
import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.client.UpsertNetwork;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.metrics.testutils.MetricListener;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.streams.UpsertStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The committer with upsert sessions against the test server: re-commits after a failover are
 * no-ops (also past the session's lifetime), lost answers are looked up; expired sessions, sessions
 * the service no longer knows and sessions of a dropped and recreated partition fail clearly.
 */
class OdpsUpsertCommitterITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    private static final UpsertNetwork NETWORK = new UpsertNetwork();

    @AfterAll
    static void closeNetwork() {
        NETWORK.close();
    }

    @Test
    void reCommitOfCommittedSessionIsSuccessAndChangesNothing() throws Exception {
        ServerTable table = pkTable("upsert_committer_retry");
        OdpsCommittable first = upsert(table, 0, 5, false);
        MetricListener metrics = new MetricListener();
        try (OdpsCommitter committer =
                new OdpsCommitter(
                        OdpsTestTables.connection(ODPS),
                        new CommitMetrics(metrics.getMetricGroup()))) {
            RecordedCommitRequest request = new RecordedCommitRequest(first);
            committer.commit(List.of(request));
            assertThat(request.outcome).isEqualTo("committed");
            assertThat(OdpsTestTables.committedIds(table))
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);

            OdpsCommittable deletes = upsert(table, 0, 3, true);
            committer.commit(List.of(new RecordedCommitRequest(deletes)));
            assertThat(OdpsTestTables.committedIds(table)).containsExactlyInAnyOrder(3L, 4L);

            // After a failover both checkpoints are committed again, in order: nothing changes.
            RecordedCommitRequest again = new RecordedCommitRequest(first);
            RecordedCommitRequest deletesAgain = new RecordedCommitRequest(deletes);
            committer.commit(List.of(again, deletesAgain));
            assertThat(again.outcome).isEqualTo("already committed");
            assertThat(deletesAgain.outcome).isEqualTo("already committed");
            assertThat(OdpsTestTables.committedIds(table)).containsExactlyInAnyOrder(3L, 4L);
        }
        assertThat(metrics.getCounter(CommitMetrics.COMMITS).orElseThrow().getCount())
                .as("the re-commits are not counted")
                .isEqualTo(2);
        assertThat(metrics.getCounter(CommitMetrics.RECORDS_COMMITTED).orElseThrow().getCount())
                .as("5 upserts and 3 deletes")
                .isEqualTo(8);
    }

    @Test
    void committedSessionPastItsLifetimeCountsAsCommitted() throws Exception {
        ServerTable table = pkTable("upsert_committer_committed_expired");
        OdpsCommittable committable = upsert(table, 0, 2, false);
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            committer.commit(List.of(new RecordedCommitRequest(committable)));
        }
        ODPS.clock().advance(Duration.ofHours(25));
        try (OdpsCommitter restored = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            RecordedCommitRequest retry = new RecordedCommitRequest(committable);
            restored.commit(List.of(retry));
            assertThat(retry.outcome).isEqualTo("already committed");
        }
        assertThat(OdpsTestTables.committedIds(table)).containsExactlyInAnyOrder(0L, 1L);
    }

    @Test
    void openSessionPastItsLifetimeFailsWithClearError() throws Exception {
        ServerTable table = pkTable("upsert_committer_lifetime");
        OdpsCommittable committable = upsert(table, 0, 3, false);
        ODPS.clock().advance(Duration.ofHours(25));
        try (OdpsCommitter restored = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            assertThatThrownBy(
                            () -> restored.commit(List.of(new RecordedCommitRequest(committable))))
                    .hasMessageContaining(committable.sessionId())
                    .hasMessageContaining("table test_project.upsert_committer_lifetime")
                    .hasMessageContaining("is expired")
                    .hasMessageContaining("3 upserts and deletes were not committed");
        }
        assertThat(OdpsTestTables.committedIds(table)).isEmpty();
    }

    @Test
    void sessionTheServiceNoLongerKnowsIsNotTakenAsCommitted() throws Exception {
        ServerTable table = pkTable("upsert_committer_forgotten");
        OdpsCommittable committed = upsert(table, 0, 2, false);
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            committer.commit(List.of(new RecordedCommitRequest(committed)));
        }
        OdpsCommittable uncommitted = upsert(table, 10, 12, false);
        ODPS.forgetUpsertSessions();
        // Committed or not, the service can no longer say: both fail, neither is skipped.
        for (OdpsCommittable committable : List.of(committed, uncommitted)) {
            try (OdpsCommitter restored = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
                RecordedCommitRequest request = new RecordedCommitRequest(committable);
                assertThatThrownBy(() -> restored.commit(List.of(request)))
                        .hasMessageContaining("no longer knows upsert session")
                        .hasMessageContaining(committable.sessionId())
                        .hasMessageContaining("table test_project.upsert_committer_forgotten")
                        .hasMessageContaining("whether its 2 upserts and deletes were committed")
                        .hasMessageContaining("Check the partition");
                assertThat(request.outcome).isEqualTo("committed"); // nothing signalled
            }
        }
        assertThat(OdpsTestTables.committedIds(table)).containsExactlyInAnyOrder(0L, 1L);
    }

    @Test
    void commitAfterThePartitionWasDroppedAndRecreatedFails() throws Exception {
        ServerTable table = pkTable("upsert_committer_recreated", true);
        table.partitionOrCreate("ds=1");
        OdpsCommittable committable = upsert(table, "ds=1", 0, 3, false);
        table.dropPartition("ds=1");
        table.partitionOrCreate("ds=1");
        try (OdpsCommitter restored = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            RecordedCommitRequest request = new RecordedCommitRequest(committable);
            assertThatThrownBy(() -> restored.commit(List.of(request)))
                    .hasMessageContaining(committable.sessionId())
                    .hasMessageContaining("partition ds=1 of table test_project.upsert_committer_")
                    .hasMessageContaining("its partition was dropped")
                    .hasMessageContaining("3 upserts and deletes");
            assertThat(request.outcome).isEqualTo("committed"); // nothing signalled
        }
        assertThat(table.partition("ds=1").rows()).isEmpty();
    }

    @Test
    void commitWhoseAnswerIsLostIsRecognisedAsDone() throws Exception {
        ServerTable table = pkTable("upsert_committer_lost_answer");
        OdpsCommittable committable = upsert(table, 0, 3, false);
        ODPS.faults().loseAnswers(r -> r.method().equals("POST") && r.has("upsertid"), 1, 400);
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            RecordedCommitRequest request = new RecordedCommitRequest(committable);
            committer.commit(List.of(request));
            assertThat(request.outcome).isEqualTo("already committed");
        }
        assertThat(ODPS.faults().pending()).isZero();
        assertThat(OdpsTestTables.committedIds(table)).containsExactlyInAnyOrder(0L, 1L, 2L);
    }

    @Test
    void expiredSessionFailsWithClearError() throws Exception {
        ServerTable table = pkTable("upsert_committer_expired");
        OdpsCommittable committable = upsert(table, 0, 4, false);
        ODPS.expireUpsertSessions();
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            RecordedCommitRequest request = new RecordedCommitRequest(committable);
            // Thrown, so that the job fails: Flink would only log a signalled failure.
            assertThatThrownBy(() -> committer.commit(List.of(request)))
                    .hasMessageContaining(committable.sessionId())
                    .hasMessageContaining("table test_project.upsert_committer_expired")
                    .hasMessageContaining("is expired")
                    .hasMessageContaining("4 upserts and deletes were not committed");
        }
        assertThat(OdpsTestTables.committedIds(table)).isEmpty();
    }

    private static ServerTable pkTable(String name) {
        return pkTable(name, false);
    }

    private static ServerTable pkTable(String name, boolean partitioned) {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", OdpsType.BIGINT));
        schema.addColumn(new Column("name", OdpsType.STRING));
        if (partitioned) {
            schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        }
        return ODPS.store()
                .createTable(
                        OdpsTestServer.DEFAULT_PROJECT, null, name, schema, List.of("id"), null);
    }

    /** Upserts (or deletes) ids {@code [from, to)} in a new session left uncommitted. */
    private static OdpsCommittable upsert(ServerTable table, long from, long to, boolean delete)
            throws Exception {
        return upsert(table, "", from, to, delete);
    }

    private static OdpsCommittable upsert(
            ServerTable table, String partition, long from, long to, boolean delete)
            throws Exception {
        OdpsTableClient client = new OdpsTableClient(OdpsTestTables.connection(ODPS), table.name());
        try (TableTunnel.UpsertSession session =
                client.createUpsertSession(partition, NETWORK, client.newUpsertSendRetries())) {
            UpsertStream stream = session.buildUpsertStream().build();
            for (long id = from; id < to; id++) {
                Record record = session.newRecord();
                record.setBigint(0, id);
                record.setString(1, "name-" + id);
                if (delete) {
                    stream.delete(record);
                } else {
                    stream.upsert(record);
                }
            }
            stream.close();
            return OdpsCommittable.ofUpsertSession(
                    OdpsTestServer.DEFAULT_PROJECT,
                    table.name(),
                    partition,
                    session.getId(),
                    to - from,
                    0);
        }
    }
}
