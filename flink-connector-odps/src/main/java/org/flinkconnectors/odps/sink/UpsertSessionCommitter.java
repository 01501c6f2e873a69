package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.client.UpsertNetwork;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;

import com.aliyun.odps.tunnel.TableTunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

/**
 * Commits the upsert sessions of a completed checkpoint for the {@link OdpsCommitter}, resuming
 * each by its id. Idempotent, so a failover that commits a checkpoint again changes nothing:
 *
 * <ul>
 *   <li>status {@code committed}: already committed, success;
 *   <li>the service no longer knows the session ({@code UpsertSessionNotFound}): taken as
 *       committed, as the SDK's own commit does, because MaxCompute forgets upsert sessions once
 *       their commit finished;
 *   <li>{@code expired}, {@code aborted} or {@code critical}: the changes can no longer be
 *       committed, which fails the request with a message naming session, partition and count.
 * </ul>
 */
@Internal
final class UpsertSessionCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpsertSessionCommitter.class);

    private static final String NORMAL = "normal";
    private static final String COMMITTING = "committing";
    private static final String COMMITTED = "committed";

    private UpsertNetwork network;

    void commit(OdpsTableClient client, CommitRequest<OdpsCommittable> request) throws IOException {
        OdpsCommittable committable = request.getCommittable();
        TableTunnel.UpsertSession session;
        try {
            session =
                    client.getUpsertSession(
                            committable.partition(), committable.sessionId(), network());
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                forgotten(request);
                return;
            }
            throw e;
        }
        try {
            commit(client, request, session);
        } finally {
            session.close();
        }
    }

    private void commit(
            OdpsTableClient client,
            CommitRequest<OdpsCommittable> request,
            TableTunnel.UpsertSession session)
            throws IOException {
        OdpsCommittable committable = request.getCommittable();
        String status = status(client, session);
        if (status.equals(COMMITTED)) {
            LOG.info("{} was committed before; nothing to do.", committable);
            request.signalAlreadyCommitted();
            return;
        }
        if (!status.equals(NORMAL) && !status.equals(COMMITTING)) {
            failed(client, request, status);
            return;
        }
        try {
            client.call(
                    "commit upsert session "
                            + committable.sessionId()
                            + " of "
                            + client.describe(committable.partition()),
                    () -> {
                        session.commit(false);
                        return null;
                    });
            LOG.debug("Committed {}", committable);
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                forgotten(request);
                return;
            }
            // A commit whose answer got lost may have succeeded: look again before failing.
            String after = status(client, session);
            if (after.equals(COMMITTED)) {
                request.signalAlreadyCommitted();
            } else if (!after.equals(NORMAL) && !after.equals(COMMITTING)) {
                failed(client, request, after);
            } else {
                throw e;
            }
        }
    }

    private static String status(OdpsTableClient client, TableTunnel.UpsertSession session)
            throws IOException {
        return client.call(
                        "get the status of upsert session " + session.getId(), session::getStatus)
                .toLowerCase(Locale.ROOT);
    }

    private static void forgotten(CommitRequest<OdpsCommittable> request) {
        LOG.warn(
                "MaxCompute no longer knows {}; taking it as committed, as the service forgets"
                        + " upsert sessions once their commit finished.",
                request.getCommittable());
        request.signalAlreadyCommitted();
    }

    private static void failed(
            OdpsTableClient client, CommitRequest<OdpsCommittable> request, String status)
            throws IOException {
        OdpsCommittable committable = request.getCommittable();
        IOException error =
                new IOException(
                        "Upsert session "
                                + committable.sessionId()
                                + " of "
                                + client.describe(committable.partition())
                                + " is "
                                + status
                                + ", so its "
                                + committable.rowCount()
                                + " upserts and deletes cannot be committed. The job fails rather"
                                + " than skip them; write that data again, e.g. from an earlier"
                                + " savepoint.");
        // Flink would only log a "known" failure and drop the changes: fail the job instead.
        throw error;
    }

    private UpsertNetwork network() {
        if (network == null) {
            network = new UpsertNetwork();
        }
        return network;
    }

    @Override
    public void close() {
        if (network != null) {
            network.close();
            network = null;
        }
    }
}
