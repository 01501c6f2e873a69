package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Who commits a table version and for which checkpoint. A format records it with the version it
 * commits (Iceberg: snapshot summary properties; Delta: a transaction identifier whose app id is
 * {@link #appId()} and whose version is the checkpoint id), so a commit retried after a failover is
 * recognised and skipped.
 *
 * <p>The identity is the write id, not the Flink job id: a job id repeats (application mode with HA
 * fixes it, so a stateless redeploy or the next run of a batch job starts again at checkpoint 1
 * with the same id), and a commit keyed by it would take the new run's checkpoints for ones already
 * committed. Each start of the committing operator, fresh or restored, draws a new write id; a
 * committable keeps the write id it was created with, so a restored one is still recognised.
 *
 * @param writeId the random id of the operator attempt that created the committable
 * @param jobId the Flink job id, recorded for people reading the table's history
 * @param operatorId the unique id of the committing operator
 * @param checkpointId the checkpoint whose files are committed
 */
@PublicEvolving
public record LakeCommitId(String writeId, String jobId, String operatorId, long checkpointId) {

    public LakeCommitId {
        Objects.requireNonNull(writeId, "writeId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(operatorId, "operatorId");
    }

    /** A new write id: the start time in epoch milliseconds, a dash and a random UUID. */
    public static String newWriteId() {
        return System.currentTimeMillis() + "-" + UUID.randomUUID();
    }

    /**
     * When the write started, from its id; empty for ids of committables written before write ids
     * existed (they hold the job id).
     */
    public OptionalLong writeStartMillis() {
        int dash = writeId.indexOf('-');
        if (dash <= 0) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(writeId.substring(0, dash)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Write id and operator in one string, for formats that key idempotence by one app id. */
    public String appId() {
        return writeId + "-" + operatorId;
    }
}
