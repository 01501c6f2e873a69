package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.client.OdpsTableClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;

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
 */
@Internal
class OdpsCommitter implements Committer<OdpsCommittable> {

    private final OdpsConnectionConfig connection;
    private final Map<String, OdpsTableClient> clients = new HashMap<>();
    private final UploadSessionCommitter uploads = new UploadSessionCommitter();
    private final UpsertSessionCommitter upserts = new UpsertSessionCommitter();

    OdpsCommitter(OdpsConnectionConfig connection) {
        this.connection = connection;
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
        if (committable.type() == OdpsCommittable.SessionType.UPSERT) {
            upserts.commit(client, request);
            return;
        }
        uploads.commit(client, request);
    }

    @Override
    public void close() {
        upserts.close();
        clients.clear();
    }
}
