package org.flinkconnectors.lake.sink;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;

import java.util.List;

/**
 * Everything one checkpoint wrote, from all writers, to be committed as one table version: the
 * commit id that makes the commit idempotent, and each writer's files. It carries the job id it was
 * written by, so committables restored into a new job are still recognised as committed.
 *
 * @param commitId job, operator and checkpoint of the commit
 * @param writeResults the files of each writer that wrote any
 */
@Internal
public record LakeCommittable(LakeCommitId commitId, List<LakeWriteResult> writeResults) {

    public LakeCommittable {
        writeResults = List.copyOf(writeResults);
    }
}
