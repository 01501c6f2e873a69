package org.flinkconnectors.odps.sink;

import org.apache.flink.annotation.Internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one writer subtask wrote into one partition during one checkpoint: a tunnel upload session
 * and its blocks, or an upsert session (primary-key tables) with its upserts and deletes. The
 * committer commits the session once the checkpoint completes; the changes become visible then, and
 * only then.
 */
@Internal
public final class OdpsCommittable {

    /** Which kind of tunnel session a committable commits. */
    public enum SessionType {
        /** An upload session: rows appended (insert-only sinks). */
        UPLOAD("upload"),
        /** An upsert session: rows upserted and deleted by primary key. */
        UPSERT("upsert");

        private final String id;

        SessionType(String id) {
            this.id = id;
        }

        /** The stable name serialized in state (never the ordinal). */
        public String id() {
            return id;
        }

        static SessionType ofId(String id) {
            for (SessionType type : values()) {
                if (type.id.equals(id)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("Unknown session type '" + id + "'");
        }
    }

    private final SessionType type;
    private final String project;
    private final String table;
    private final String partition;
    private final String sessionId;
    private final long[] blockIds;
    private final long rowCount;
    private final long byteCount;

    /** An upload session with its blocks; {@code byteCount} is their encoded size. */
    public OdpsCommittable(
            String project,
            String table,
            String partition,
            String sessionId,
            long[] blockIds,
            long rowCount,
            long byteCount) {
        this(
                SessionType.UPLOAD,
                project,
                table,
                partition,
                sessionId,
                blockIds,
                rowCount,
                byteCount);
    }

    OdpsCommittable(
            SessionType type,
            String project,
            String table,
            String partition,
            String sessionId,
            long[] blockIds,
            long rowCount,
            long byteCount) {
        this.type = Objects.requireNonNull(type);
        this.project = Objects.requireNonNull(project);
        this.table = Objects.requireNonNull(table);
        this.partition = partition == null ? "" : partition;
        this.sessionId = Objects.requireNonNull(sessionId);
        this.blockIds = blockIds.clone();
        this.rowCount = rowCount;
        this.byteCount = byteCount;
    }

    /**
     * An upsert session; {@code changeCount} counts its upserts and deletes, {@code byteCount} the
     * bytes its flushes sent.
     */
    public static OdpsCommittable ofUpsertSession(
            String project,
            String table,
            String partition,
            String sessionId,
            long changeCount,
            long byteCount) {
        return new OdpsCommittable(
                SessionType.UPSERT,
                project,
                table,
                partition,
                sessionId,
                new long[0],
                changeCount,
                byteCount);
    }

    public SessionType type() {
        return type;
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

    /** Rows of an upload session, or upserts and deletes of an upsert session. */
    public long rowCount() {
        return rowCount;
    }

    /** Bytes the writer sent for this session (0 when restored from a version before 3). */
    public long byteCount() {
        return byteCount;
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
                && byteCount == that.byteCount
                && type == that.type
                && project.equals(that.project)
                && table.equals(that.table)
                && partition.equals(that.partition)
                && sessionId.equals(that.sessionId)
                && Arrays.equals(blockIds, that.blockIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, project, table, partition, sessionId, Arrays.hashCode(blockIds));
    }

    @Override
    public String toString() {
        return "OdpsCommittable{"
                + project
                + "."
                + table
                + (partition.isEmpty() ? "" : " partition " + partition)
                + ", "
                + type.id()
                + " session="
                + sessionId
                + (type == SessionType.UPLOAD
                        ? ", blocks=" + blockIds.length + ", rows="
                        : ", changes=")
                + rowCount
                + ", bytes="
                + byteCount
                + "}";
    }
}
