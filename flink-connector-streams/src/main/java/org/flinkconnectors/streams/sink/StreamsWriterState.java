package org.flinkconnectors.streams.sink;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Objects;

/**
 * What an exactly-once writer remembers across a restore: which transactional ids it owned (prefix,
 * parallelism, subtask, pool size) and which of their transactions were handed to the committer but
 * not yet known to be committed. The restoring writer aborts every other open transaction of those
 * ids and leaves the pending ones to the committer.
 */
@Internal
public final class StreamsWriterState {

    private final String transactionalIdPrefix;
    private final int parallelism;
    private final int subtaskId;
    private final int poolSize;
    private final List<StreamsCommittable> pending;

    public StreamsWriterState(
            String transactionalIdPrefix,
            int parallelism,
            int subtaskId,
            int poolSize,
            List<StreamsCommittable> pending) {
        this.transactionalIdPrefix = Objects.requireNonNull(transactionalIdPrefix);
        this.parallelism = parallelism;
        this.subtaskId = subtaskId;
        this.poolSize = poolSize;
        this.pending = List.copyOf(pending);
    }

    public String getTransactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    public int getParallelism() {
        return parallelism;
    }

    public int getSubtaskId() {
        return subtaskId;
    }

    public int getPoolSize() {
        return poolSize;
    }

    public List<StreamsCommittable> getPending() {
        return pending;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StreamsWriterState)) {
            return false;
        }
        StreamsWriterState that = (StreamsWriterState) o;
        return parallelism == that.parallelism
                && subtaskId == that.subtaskId
                && poolSize == that.poolSize
                && transactionalIdPrefix.equals(that.transactionalIdPrefix)
                && pending.equals(that.pending);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transactionalIdPrefix, parallelism, subtaskId, poolSize, pending);
    }

    @Override
    public String toString() {
        return "StreamsWriterState{prefix='"
                + transactionalIdPrefix
                + "', parallelism="
                + parallelism
                + ", subtaskId="
                + subtaskId
                + ", poolSize="
                + poolSize
                + ", pending="
                + pending
                + '}';
    }
}
