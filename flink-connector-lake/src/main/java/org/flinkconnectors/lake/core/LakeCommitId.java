package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Objects;

/**
 * Who commits a table version and for which checkpoint: the Flink job id, the id of the operator
 * that aggregated the files, and the checkpoint id. A format records it with the version it commits
 * (Iceberg: snapshot summary properties; Delta: a transaction identifier whose app id is {@link
 * #appId()} and whose version is the checkpoint id), so a commit retried after a failover is
 * recognised and skipped.
 *
 * @param jobId the Flink job id
 * @param operatorId the unique id of the committing operator
 * @param checkpointId the checkpoint whose files are committed
 */
@PublicEvolving
public record LakeCommitId(String jobId, String operatorId, long checkpointId) {

    public LakeCommitId {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(operatorId, "operatorId");
    }

    /** Job and operator in one string, for formats that key idempotence by a single app id. */
    public String appId() {
        return jobId + "-" + operatorId;
    }
}
