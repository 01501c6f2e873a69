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
 * each by its id. Only the session's own status ({@code GET ?upsertid}) says it was committed, so a
 * failover that commits a checkpoint again changes nothing and loses nothing:
 *
 * <ul>
 *   <li>status {@code committed}: already committed, success;
 *   <li>{@code normal} or {@code committing}: committed now; a commit whose answer was lost is
 *       looked up again;
 *   <li>{@code expired}, {@code aborted} or {@code critical}: the changes can no longer be
 *       committed, which fails the job with a message naming session, partition and count;
 *   <li>the service no longer knows the session ({@code UpsertSessionNotFound}; also the answer for
 *       a session of a partition that was dropped, and recreated or not): it may have expired or
 *       been discarded uncommitted, so this is not taken as committed but fails the job the same
 *       way, saying how to check.
 * </ul>
 */
@Internal
final class UpsertSessionCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpsertSessionCommitter.class);

    private static final String NORMAL = "normal";
    private static final String COMMITTING = "committing";
    private static final String COMMITTED = "committed";

    private UpsertNetwork network;

    /**
     * Commits the request's session; returns whether this call committed it, false when it was
     * committed before.
     */
    boolean commit(OdpsTableClient client, CommitRequest<OdpsCommittable> request)
            throws IOException {
        OdpsCommittable committable = request.getCommittable();
        TableTunnel.UpsertSession session;
        try {
            session =
                    client.getUpsertSession(
                            committable.partition(), committable.sessionId(), network());
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                throw unknown(client, committable, e);
            }
            throw e;
        }
        try {
            return commit(client, request, session);
        } finally {
            session.close();
        }
    }

    private boolean commit(
            OdpsTableClient client,
            CommitRequest<OdpsCommittable> request,
            TableTunnel.UpsertSession session)
            throws IOException {
        OdpsCommittable committable = request.getCommittable();
        String status = status(client, session);
        if (status.equals(COMMITTED)) {
            LOG.info("{} was committed before; nothing to do.", committable);
            request.signalAlreadyCommitted();
            return false;
        }
        if (!status.equals(NORMAL) && !status.equals(COMMITTING)) {
            throw failed(client, request, status);
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
            return true;
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                throw unknown(client, committable, e);
            }
            // A commit whose answer got lost may have succeeded: look again before failing.
            String after;
            try {
                after = status(client, session);
            } catch (IOException lookup) {
                if (OdpsTableClient.isNotFound(lookup)) {
                    throw unknown(client, committable, lookup);
                }
                e.addSuppressed(lookup);
                throw e;
            }
            if (after.equals(COMMITTED)) {
                // It was not committed before this call: the commit whose answer got lost made it.
                request.signalAlreadyCommitted();
                return true;
            }
            if (!after.equals(NORMAL) && !after.equals(COMMITTING)) {
                throw failed(client, request, after);
            }
            throw e;
        }
    }

    private static String status(OdpsTableClient client, TableTunnel.UpsertSession session)
            throws IOException {
        return client.call(
                        "get the status of upsert session " + session.getId(), session::getStatus)
                .toLowerCase(Locale.ROOT);
    }

    // Thrown rather than signalled: Flink would only log a "known" failure and drop the changes.
    private static IOException unknown(
            OdpsTableClient client, OdpsCommittable committable, IOException cause) {
        return new IOException(
                "MaxCompute no longer knows upsert session "
                        + committable.sessionId()
                        + " of "
                        + client.describe(committable.partition())
                        + " (it expired, was purged, or its partition was dropped), so it cannot"
                        + " tell whether its "
                        + committable.rowCount()
                        + " upserts and deletes were committed. The job fails rather than take"
                        + " them as committed; restoring this checkpoint fails again. Check the"
                        + " partition: if the changes are there, start the job from a later"
                        + " checkpoint or savepoint, or without this state; otherwise write them"
                        + " again (replaying a key's upserts and deletes in order is safe).",
                cause);
    }

    // Thrown rather than signalled: Flink would only log a "known" failure and drop the changes.
    private static IOException failed(
            OdpsTableClient client, CommitRequest<OdpsCommittable> request, String status) {
        OdpsCommittable committable = request.getCommittable();
        return new IOException(
                "Upsert session "
                        + committable.sessionId()
                        + " of "
                        + client.describe(committable.partition())
                        + " is "
                        + status
                        + ", so its "
                        + committable.rowCount()
                        + " upserts and deletes were not committed and cannot be. The job"
                        + " fails rather than skip them; restoring this checkpoint fails"
                        + " again. Write those changes again (e.g. replay the input from"
                        + " before this checkpoint into a job started without this"
                        + " state).");
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
