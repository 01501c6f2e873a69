package org.flinkconnectors.odps.sink.internal;

import org.flinkconnectors.odps.sink.OdpsCommittable;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.data.Record;

import java.io.IOException;

/**
 * What one writer sends to one partition within one checkpoint through one tunnel session: appended
 * rows ({@link PartitionUpload}) or upserts and deletes by primary key ({@link PartitionUpsert}).
 */
@Internal
public interface PartitionWrite {

    String partition();

    String sessionId();

    /** The record to fill for the next row, emptied; valid until the next {@link #write}. */
    Record clearedRecord();

    /** Appends the row, or upserts it in an upsert session. */
    void write(Record record) throws IOException;

    /** Deletes the row with the record's key; only upsert sessions delete. */
    void delete(Record record) throws IOException;

    /** Rows written, or upserts and deletes. */
    long rowCount();

    long bytesSent();

    /**
     * An estimate of the bytes this session buffers in memory, not yet sent: what the writer's
     * memory budget ({@code sink.buffer-memory}) counts.
     */
    long bufferedBytes();

    /** Sends what is buffered now (a block, or every bucket of an upsert stream). */
    void flush() throws IOException;

    /** Sends what is buffered and describes the session for the committer. */
    OdpsCommittable toCommittable(String project) throws IOException;

    /** Sends what is buffered and commits the session itself (at-least-once mode). */
    void commitNow() throws IOException;

    /** Gives up a session that will never be committed, releasing what it holds. */
    void abandon();
}
