package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.client.OdpsTableClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;

import com.aliyun.odps.OdpsException;
import com.aliyun.odps.tunnel.TableTunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Commits the upload sessions of a completed checkpoint, and hands upsert sessions to the {@link
 * UpsertSessionCommitter}. Idempotent: a session that is already committed (a retried commit after
 * a failover) counts as success, so every checkpoint's rows become visible exactly once. Flink
 * commits checkpoint by checkpoint in order, so the upserts and deletes of one key apply in the
 * order they were written. An upload session that no longer exists (MaxCompute expires them after
 * 24 hours) fails its request with a message saying which rows are affected.
 */
@Internal
class OdpsCommitter implements Committer<OdpsCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(OdpsCommitter.class);

    private final OdpsConnectionConfig connection;
    private final Map<String, OdpsTableClient> clients = new HashMap<>();
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
        TableTunnel.UploadSession session;
        try {
            session = client.getUploadSession(committable.partition(), committable.sessionId());
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                // Flink would only log a "known" failure and drop the rows: fail the job instead.
                throw new IOException(
                        "Upload session "
                                + committable.sessionId()
                                + " of "
                                + client.describe(committable.partition())
                                + " no longer exists (MaxCompute expires upload sessions 24 hours"
                                + " after they are created), so its "
                                + committable.rowCount()
                                + " rows cannot be committed. The job fails rather than skip"
                                + " them; write that data again, e.g. from an earlier savepoint.",
                        e);
            }
            throw e;
        }
        if (isCommitted(session)) {
            LOG.info("{} was committed before; nothing to do.", committable);
            request.signalAlreadyCommitted();
            return;
        }
        Long[] blocks = new Long[committable.blockIds().length];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = committable.blockIds()[i];
        }
        try {
            client.call(
                    "commit upload session "
                            + committable.sessionId()
                            + " of "
                            + client.describe(committable.partition()),
                    () -> {
                        session.commit(blocks);
                        return null;
                    });
            LOG.debug("Committed {}", committable);
        } catch (IOException e) {
            // A commit whose answer got lost may have succeeded: look again before failing.
            if (isCommitted(
                    client.getUploadSession(committable.partition(), committable.sessionId()))) {
                request.signalAlreadyCommitted();
                return;
            }
            throw e;
        }
    }

    private static boolean isCommitted(TableTunnel.UploadSession session) throws IOException {
        try {
            return session.getStatus() == TableTunnel.UploadStatus.CLOSED;
        } catch (OdpsException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        upserts.close();
        clients.clear();
    }
}
