package org.flinkconnectors.streams.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.JobID;

import javax.annotation.Nullable;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where the writer and the committer of one subtask attempt meet to share a {@link
 * TransactionHandoff}. A handoff is keyed by job, subtask, attempt and transactional id prefix and
 * lives only while one of its two sides is open: the last side to close removes it. So a failover
 * (a new attempt) starts from a fresh handoff, and nothing stays behind when a job ends, even when
 * the connector jar sits in Flink's {@code lib/} and this class is shared by every job of a
 * TaskManager. A side that failed before it closed would keep its attempt's handoff; Flink starts a
 * subtask's next attempt only once the previous one is over, so opening an attempt drops the
 * handoffs of the same subtask's earlier attempts.
 */
@Internal
public final class TransactionHandoffs {

    /** The two operators that share a handoff. */
    public enum Side {
        WRITER,
        COMMITTER
    }

    private static final ConcurrentMap<Key, Shared> OPEN = new ConcurrentHashMap<>();

    private TransactionHandoffs() {}

    /**
     * Opens {@code side}'s view of the handoff of {@code key}. Fails if that side is open already,
     * which means two sinks of the job use the same transactional id prefix.
     */
    public static Lease open(Key key, Side side) {
        OPEN.keySet().removeIf(key::supersedes);
        Shared shared = OPEN.compute(key, (k, existing) -> attach(k, existing, side));
        return new Lease(key, side, shared.handoff);
    }

    /**
     * A handoff of its own for a committer that never meets a writer (a sink without exactly-once
     * has no transactions to hand over, and several such sinks share the empty prefix).
     */
    public static Lease unshared() {
        return new Lease(null, Side.COMMITTER, new TransactionHandoff());
    }

    private static Shared attach(Key key, Shared existing, Side side) {
        Shared shared = existing == null ? new Shared() : existing;
        if (shared.isOpen(side)) {
            throw new IllegalStateException(
                    String.format(
                            "Two exactly-once sinks of job %s use the transactional id prefix"
                                    + " '%s'. Give every sink its own prefix.",
                            key.jobId, key.prefix));
        }
        shared.setOpen(side, true);
        return shared;
    }

    private static void release(Key key, Side side) {
        OPEN.computeIfPresent(
                key,
                (k, shared) -> {
                    shared.setOpen(side, false);
                    return shared.isOpen(Side.WRITER) || shared.isOpen(Side.COMMITTER)
                            ? shared
                            : null;
                });
    }

    /** The number of open handoffs in this JVM. */
    @VisibleForTesting
    public static int openCount() {
        return OPEN.size();
    }

    /** One side's hold on a handoff; closing it releases that side. */
    public static final class Lease implements AutoCloseable {
        @Nullable private final Key key;
        private final Side side;
        private final TransactionHandoff handoff;
        private boolean closed;

        private Lease(@Nullable Key key, Side side, TransactionHandoff handoff) {
            this.key = key;
            this.side = side;
            this.handoff = handoff;
        }

        public TransactionHandoff handoff() {
            return handoff;
        }

        @Override
        public void close() {
            if (!closed && key != null) {
                closed = true;
                release(key, side);
            }
        }
    }

    /** Identifies the writer and committer of one subtask attempt of one sink. */
    public static final class Key {
        private final JobID jobId;
        private final int subtaskId;
        private final int attemptNumber;
        private final String prefix;

        public Key(JobID jobId, int subtaskId, int attemptNumber, String prefix) {
            this.jobId = Objects.requireNonNull(jobId);
            this.subtaskId = subtaskId;
            this.attemptNumber = attemptNumber;
            this.prefix = Objects.requireNonNull(prefix);
        }

        /**
         * Whether this is a later attempt of the same subtask of the same sink than {@code other}.
         */
        boolean supersedes(Key other) {
            return other.attemptNumber < attemptNumber
                    && other.subtaskId == subtaskId
                    && other.jobId.equals(jobId)
                    && other.prefix.equals(prefix);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key that = (Key) o;
            return subtaskId == that.subtaskId
                    && attemptNumber == that.attemptNumber
                    && jobId.equals(that.jobId)
                    && prefix.equals(that.prefix);
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, subtaskId, attemptNumber, prefix);
        }

        @Override
        public String toString() {
            return jobId + "/" + subtaskId + "#" + attemptNumber + "/" + prefix;
        }
    }

    /** A handoff and which of its sides are open. */
    private static final class Shared {
        final TransactionHandoff handoff = new TransactionHandoff();
        private boolean writerOpen;
        private boolean committerOpen;

        boolean isOpen(Side side) {
            return side == Side.WRITER ? writerOpen : committerOpen;
        }

        void setOpen(Side side, boolean open) {
            if (side == Side.WRITER) {
                writerOpen = open;
            } else {
                committerOpen = open;
            }
        }
    }
}
