package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.sink.CommitMetrics;
import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.metrics.testutils.MetricListener;

import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.ProtobufRecordPack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The committer against the test server: idempotent retries, expired sessions, lost answers. */
class OdpsCommitterITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    @Test
    void retriedCommitOfCommittedSessionIsSuccessAndAddsNothing() throws Exception {
        ServerTable table = table("committer_retry");
        OdpsCommittable committable = uploadRows(table, "ds=1", 5);
        MetricListener metrics = new MetricListener();
        try (OdpsCommitter committer = committer(metrics)) {
            RecordedCommitRequest first = new RecordedCommitRequest(committable);
            committer.commit(List.of(first));
            assertThat(first.outcome).isEqualTo("committed");
            assertThat(OdpsTestTables.committedIds(table)).hasSize(5);

            RecordedCommitRequest retry = new RecordedCommitRequest(committable);
            committer.commit(List.of(retry));
            assertThat(retry.outcome).isEqualTo("already committed");
            assertThat(OdpsTestTables.committedIds(table)).hasSize(5);
        }
        assertThat(count(metrics, CommitMetrics.COMMITS))
                .as("the retried commit is not counted again")
                .isEqualTo(1);
        assertThat(count(metrics, CommitMetrics.RECORDS_COMMITTED)).isEqualTo(5);
    }

    @Test
    void commitWhoseAnswerIsLostIsRecognisedAsDone() throws Exception {
        ServerTable table = table("committer_lost_answer");
        OdpsCommittable committable = uploadRows(table, "ds=1", 3);
        // The commit takes effect but its answer is an error (4xx: not retried by the SDK or us):
        // the committer must look at the session before failing.
        ODPS.faults().loseAnswers(r -> r.method().equals("POST") && r.has("uploadid"), 1, 400);
        MetricListener metrics = new MetricListener();
        try (OdpsCommitter committer = committer(metrics)) {
            RecordedCommitRequest request = new RecordedCommitRequest(committable);
            committer.commit(List.of(request));
            assertThat(request.outcome).isEqualTo("already committed");
        }
        assertThat(count(metrics, CommitMetrics.COMMITS))
                .as("this committer's commit made it")
                .isEqualTo(1);
        assertThat(ODPS.faults().pending()).isZero();
        assertThat(OdpsTestTables.committedIds(table)).hasSize(3);
    }

    @Test
    void expiredSessionFailsWithClearError() throws Exception {
        ServerTable table = table("committer_expired");
        OdpsCommittable committable = uploadRows(table, "ds=1", 2);
        ODPS.expireUploadSessions();
        // A committer restored from the checkpoint, more than 24 hours after the session opened.
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            RecordedCommitRequest request = new RecordedCommitRequest(committable);
            // Thrown, so that the job fails: Flink would only log a signalled failure.
            assertThatThrownBy(() -> committer.commit(List.of(request)))
                    .hasMessageContaining(committable.sessionId())
                    .hasMessageContaining("partition ds=1 of table test_project.committer_expired")
                    .hasMessageContaining("expired before it was committed")
                    .hasMessageContaining("2 rows were not committed");
            assertThat(request.outcome).isEqualTo("committed"); // nothing signalled
        }
        assertThat(OdpsTestTables.committedIds(table)).isEmpty();
    }

    @Test
    void committedSessionPastItsLifetimeCountsAsCommittedAndAddsNothing() throws Exception {
        ServerTable table = table("committer_committed_expired");
        OdpsCommittable committable = uploadRows(table, "ds=1", 4);
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            committer.commit(List.of(new RecordedCommitRequest(committable)));
        }
        ODPS.expireUploadSessions();
        // Restored more than 24 hours later: the service still says the session was committed.
        try (OdpsCommitter restored = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            RecordedCommitRequest retry = new RecordedCommitRequest(committable);
            restored.commit(List.of(retry));
            assertThat(retry.outcome).isEqualTo("already committed");
        }
        assertThat(OdpsTestTables.committedIds(table)).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void sessionTheServiceNoLongerKnowsFailsWithoutAdviceThatDuplicates() throws Exception {
        ServerTable table = table("committer_unknown");
        OdpsCommittable committable = uploadRows(table, "ds=1", 3);
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            committer.commit(List.of(new RecordedCommitRequest(committable)));
        }
        ODPS.forgetUploadSessions();
        try (OdpsCommitter restored = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            assertThatThrownBy(
                            () -> restored.commit(List.of(new RecordedCommitRequest(committable))))
                    .hasMessageContaining("no longer knows upload session")
                    .hasMessageContaining(committable.sessionId())
                    .hasMessageContaining("partition ds=1 of table test_project.committer_unknown")
                    .hasMessageContaining("whether its 3 rows were committed")
                    .hasMessageContaining("Check whether those rows are in the partition");
        }
        assertThat(OdpsTestTables.committedIds(table)).hasSize(3);
    }

    private static OdpsCommitter committer(MetricListener metrics) {
        return new OdpsCommitter(
                OdpsTestTables.connection(ODPS), new CommitMetrics(metrics.getMetricGroup()));
    }

    private static long count(MetricListener metrics, String counter) {
        return metrics.getCounter(counter).orElseThrow().getCount();
    }

    private static ServerTable table(String name) {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, name, OdpsTestTables.idNameSchema(true));
        table.partitionOrCreate("ds=1");
        return table;
    }

    private static OdpsCommittable uploadRows(ServerTable table, String partition, int rows)
            throws Exception {
        OdpsTableClient client = new OdpsTableClient(OdpsTestTables.connection(ODPS), table.name());
        TableTunnel.UploadSession session = client.createUploadSession(partition, false);
        ProtobufRecordPack pack = new ProtobufRecordPack(session.getSchema());
        for (long i = 0; i < rows; i++) {
            Record record = session.newRecord();
            record.setBigint(0, i);
            pack.append(record);
        }
        session.writeBlock(0, pack);
        return new OdpsCommittable(
                OdpsTestServer.DEFAULT_PROJECT,
                table.name(),
                partition,
                session.getId(),
                new long[] {0},
                rows,
                pack.getTotalBytes());
    }
}
