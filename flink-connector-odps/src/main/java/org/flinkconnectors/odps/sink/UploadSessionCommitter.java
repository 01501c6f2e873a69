package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.client.OdpsTableClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;

import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TableTunnel.UploadStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

/**
 * Commits the upload sessions of a completed checkpoint for the {@link OdpsCommitter}. Only the
 * session's own status decides, so a re-commit after a failover neither loses nor duplicates rows:
 *
 * <ul>
 *   <li>{@code CLOSED}: committed before (also long after the session's 24-hour lifetime, when the
 *       service still reports it), success;
 *   <li>{@code NORMAL}: committed now; a commit whose answer was lost is looked up again;
 *   <li>{@code EXPIRED}, {@code CANCELED}, {@code CRITICAL}: the rows were never committed and no
 *       longer can be, which fails the job naming session, partition and row count;
 *   <li>unknown to the service: it cannot say whether the rows were committed, which fails the job
 *       as well, with advice that neither loses nor duplicates them.
 * </ul>
 */
@Internal
final class UploadSessionCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(UploadSessionCommitter.class);

    /**
     * Commits the request's session; returns whether this call committed it, false when it was
     * committed before.
     */
    boolean commit(OdpsTableClient client, CommitRequest<OdpsCommittable> request)
            throws IOException {
        OdpsCommittable committable = request.getCommittable();
        TableTunnel.UploadSession session;
        try {
            session = client.getUploadSession(committable.partition(), committable.sessionId());
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                throw unknown(client, committable, e);
            }
            throw e;
        }
        UploadStatus status = status(client, session);
        if (status == UploadStatus.CLOSED) {
            LOG.info("{} was committed before; nothing to do.", committable);
            request.signalAlreadyCommitted();
            return false;
        }
        if (status != UploadStatus.NORMAL) {
            throw notCommittable(client, committable, status);
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
            return true;
        } catch (IOException e) {
            // A commit whose answer got lost may have succeeded: look again before failing.
            UploadStatus after;
            try {
                after = status(client, session);
            } catch (IOException lookup) {
                e.addSuppressed(lookup);
                throw e;
            }
            if (after == UploadStatus.CLOSED) {
                // It was NORMAL before this call: the commit whose answer got lost made it.
                request.signalAlreadyCommitted();
                return true;
            }
            if (after != UploadStatus.NORMAL) {
                IOException failure = notCommittable(client, committable, after);
                failure.addSuppressed(e);
                throw failure;
            }
            throw e;
        }
    }

    private static UploadStatus status(OdpsTableClient client, TableTunnel.UploadSession session)
            throws IOException {
        return client.call(
                "get the status of upload session " + session.getId(), session::getStatus);
    }

    // Thrown rather than signalled: Flink would only log a "known" failure and drop the rows.
    private static IOException notCommittable(
            OdpsTableClient client, OdpsCommittable committable, UploadStatus status) {
        String why =
                status == UploadStatus.EXPIRED
                        ? " expired before it was committed (MaxCompute keeps upload sessions 24"
                                + " hours after they are created)"
                        : " is " + status.name().toLowerCase(Locale.ROOT);
        return new IOException(
                "Upload session "
                        + committable.sessionId()
                        + " of "
                        + client.describe(committable.partition())
                        + why
                        + ", so its "
                        + committable.rowCount()
                        + " rows were not committed and cannot be. The job fails rather than skip"
                        + " them; restoring this checkpoint fails again. Write those rows again"
                        + " (e.g. replay the input from before this checkpoint into a job started"
                        + " without this state).");
    }

    private static IOException unknown(
            OdpsTableClient client, OdpsCommittable committable, IOException cause) {
        return new IOException(
                "MaxCompute no longer knows upload session "
                        + committable.sessionId()
                        + " of "
                        + client.describe(committable.partition())
                        + ", so it cannot tell whether its "
                        + committable.rowCount()
                        + " rows were committed. The job fails rather than risk losing or"
                        + " duplicating them; restoring this checkpoint fails again. Check"
                        + " whether those rows are in the partition: if they are, start the job"
                        + " from a later checkpoint or savepoint, or without this state; write them"
                        + " again only if they are missing.",
                cause);
    }
}
