package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.sink.CommitMetrics;
import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.client.OdpsTableClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Commits the sessions of a completed checkpoint: upload sessions through the {@link
 * UploadSessionCommitter}, upsert sessions through the {@link UpsertSessionCommitter}. Idempotent:
 * a session whose status says it is committed (a retried commit after a failover) counts as
 * success, so every checkpoint's rows become visible exactly once; a session that is expired,
 * aborted or unknown to the service fails the job with a message naming it. Flink commits
 * checkpoint by checkpoint in order, so the upserts and deletes of one key apply in the order they
 * were written.
 *
 * <p>Each session this committer commits counts as one commit in its {@link CommitMetrics}, with
 * the session's rows (upserts and deletes for an upsert session) and the bytes its writer sent (0
 * for a session restored from a committable of version 1 or 2). A session found committed before is
 * not counted again.
 */
@Internal
class OdpsCommitter implements Committer<OdpsCommittable> {

    private final OdpsConnectionConfig connection;
    private final Map<String, OdpsTableClient> clients = new HashMap<>();
    private final UploadSessionCommitter uploads = new UploadSessionCommitter();
    private final UpsertSessionCommitter upserts = new UpsertSessionCommitter();
    private final CommitMetrics metrics;

    OdpsCommitter(OdpsConnectionConfig connection) {
        this(connection, new CommitMetrics(new UnregisteredMetricsGroup()));
    }

    OdpsCommitter(OdpsConnectionConfig connection, CommitMetrics metrics) {
        this.connection = connection;
        this.metrics = metrics;
    }

    @Override
    public void commit(Collection<CommitRequest<OdpsCommittable>> requests)
            throws IOException, InterruptedException {
        for (CommitRequest<OdpsCommittable> request : requests) {
            commit(request);
        }
    }

    private void commit(CommitRequest<OdpsCommittable> request) throws IOException {
        OdpsCommittable committable = request.getCommittable();
        OdpsTableClient client =
                clients.computeIfAbsent(
                        committable.table(), table -> new OdpsTableClient(connection, table));
        long started = CommitMetrics.start();
        boolean committedNow =
                committable.type() == OdpsCommittable.SessionType.UPSERT
                        ? upserts.commit(client, request)
                        : uploads.commit(client, request);
        if (committedNow) {
            metrics.committed(started, committable.rowCount(), committable.byteCount());
        }
    }

    @Override
    public void close() {
        upserts.close();
        clients.clear();
    }
}
