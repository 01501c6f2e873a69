package org.flinkconnectors.odps.sink;

import org.apache.flink.annotation.Internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one writer subtask wrote into one partition during one checkpoint: the tunnel upload session
 * and its blocks. The committer commits the session once the checkpoint completes; the rows become
 * visible then, and only then.
 */
@Internal
public final class OdpsCommittable {

    private final String project;
    private final String table;
    private final String partition;
    private final String sessionId;
    private final long[] blockIds;
    private final long rowCount;

    public OdpsCommittable(
            String project,
            String table,
            String partition,
            String sessionId,
            long[] blockIds,
            long rowCount) {
        this.project = Objects.requireNonNull(project);
        this.table = Objects.requireNonNull(table);
        this.partition = partition == null ? "" : partition;
        this.sessionId = Objects.requireNonNull(sessionId);
        this.blockIds = blockIds.clone();
        this.rowCount = rowCount;
    }

    public String project() {
        return project;
    }

    public String table() {
        return table;
    }

    /** The partition spec ({@code ds=20261121}), empty for an unpartitioned table. */
    public String partition() {
        return partition;
    }

    public String sessionId() {
        return sessionId;
    }

    public long[] blockIds() {
        return blockIds.clone();
    }

    public long rowCount() {
        return rowCount;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OdpsCommittable)) {
            return false;
        }
        OdpsCommittable that = (OdpsCommittable) o;
        return rowCount == that.rowCount
                && project.equals(that.project)
                && table.equals(that.table)
                && partition.equals(that.partition)
                && sessionId.equals(that.sessionId)
                && Arrays.equals(blockIds, that.blockIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(project, table, partition, sessionId, Arrays.hashCode(blockIds));
    }

    @Override
    public String toString() {
        return "OdpsCommittable{"
                + project
                + "."
                + table
                + (partition.isEmpty() ? "" : " partition " + partition)
                + ", session="
                + sessionId
                + ", blocks="
                + blockIds.length
                + ", rows="
                + rowCount
                + "}";
    }
}
