package org.flinkconnectors.streams.sink.internal;

import org.flinkconnectors.streams.sink.StreamsCommittable;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The channel between the writer and the committer of one subtask attempt, which Flink runs in one
 * JVM (chained by default): the committer commits on the writer's live producer instead of opening
 * a new connection, and tells the writer which transactional ids may be used again. Both sides get
 * it from {@link TransactionHandoffs}, which drops it when both have closed, so nothing of it
 * outlives the attempt.
 *
 * <p>An id becomes reusable only when its transaction is committed <em>and</em> a checkpoint whose
 * snapshot the writer took after that commit has completed. Until then a restore could hand the
 * same committable to the committer again, and reusing the id would fence that retried commit (on
 * transaction protocol 2 every commit bumps the epoch) or, worse, commit the id's next transaction
 * in its place. A commit notification may arrive after the next snapshot, so "the next commit
 * round" is not enough: the snapshot ids decide.
 */
@Internal
public final class TransactionHandoff {

    /** Where a transactional id is in its life cycle. */
    public enum Status {
        OPEN,
        PRECOMMITTED,
        COMMITTED,
        REUSABLE
    }

    /** The bound of a commit made before the writer (re)started: the checkpoint it starts after. */
    private static final long BEFORE_WRITER_START = Long.MIN_VALUE;

    // Concurrent because a committer that is not chained to its writer runs in another thread.
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile long lastSnapshotId = BEFORE_WRITER_START;

    /** The number of transactional ids it tracks. */
    public int size() {
        return entries.size();
    }

    @Nullable
    public Status status(String transactionalId) {
        Entry entry = entries.get(transactionalId);
        return entry == null ? null : entry.status;
    }

    /**
     * The writer took the snapshot of {@code checkpointId}, or starts after that checkpoint: a
     * commit from now on is not in the committer state of that checkpoint or any earlier one.
     */
    void snapshotTaken(long checkpointId) {
        lastSnapshotId = Math.max(lastSnapshotId, checkpointId);
        entries.replaceAll(
                (id, entry) ->
                        entry.status == Status.COMMITTED && entry.bound == BEFORE_WRITER_START
                                ? entry.withBound(checkpointId)
                                : entry);
    }

    /** A freshly initialized producer of {@code transactionalId}, ready for a transaction. */
    void idle(String transactionalId, TransactionalProducer producer) {
        entries.put(transactionalId, new Entry(Status.REUSABLE, producer, -1, (short) -1));
    }

    void opened(String transactionalId, TransactionalProducer producer) {
        entries.put(transactionalId, new Entry(Status.OPEN, producer, -1, (short) -1));
    }

    void precommitted(StreamsCommittable committable, @Nullable TransactionalProducer p) {
        entries.put(
                committable.getTransactionalId(),
                new Entry(
                        Status.PRECOMMITTED,
                        p,
                        committable.getProducerId(),
                        committable.getEpoch()));
    }

    /**
     * Marks a restored committable as pending unless this JVM already committed it (the committer
     * of a chain restores and commits before the writer starts).
     */
    void restoredPending(StreamsCommittable committable) {
        entries.compute(
                committable.getTransactionalId(),
                (id, entry) ->
                        entry != null && entry.matches(committable) && entry.isCommitted()
                                ? entry
                                : new Entry(
                                        Status.PRECOMMITTED,
                                        null,
                                        committable.getProducerId(),
                                        committable.getEpoch()));
    }

    /** The writer's producer that still holds {@code committable}'s open transaction, if any. */
    public Optional<TransactionalProducer> liveProducer(StreamsCommittable committable) {
        Entry entry = entries.get(committable.getTransactionalId());
        if (entry == null
                || entry.status != Status.PRECOMMITTED
                || !entry.matches(committable)
                || entry.producer == null
                || entry.producer.isClosed()) {
            return Optional.empty();
        }
        return Optional.of(entry.producer);
    }

    public void committed(StreamsCommittable committable) {
        long bound = lastSnapshotId;
        entries.compute(
                committable.getTransactionalId(),
                (id, entry) ->
                        new Entry(
                                        Status.COMMITTED,
                                        entry != null && entry.matches(committable)
                                                ? entry.producer
                                                : null,
                                        committable.getProducerId(),
                                        committable.getEpoch())
                                .withBound(bound));
    }

    /**
     * A checkpoint of id {@code atLeast} or higher completed: the ids committed before the writer's
     * snapshot of a lower checkpoint may be used again.
     */
    public void checkpointCompleted(long atLeast) {
        entries.replaceAll(
                (id, entry) ->
                        entry.status == Status.COMMITTED
                                        && entry.bound != BEFORE_WRITER_START
                                        && entry.bound < atLeast
                                ? new Entry(
                                        Status.REUSABLE,
                                        entry.producer,
                                        entry.producerId,
                                        entry.epoch)
                                : entry);
    }

    boolean isCommitted(StreamsCommittable committable) {
        Entry entry = entries.get(committable.getTransactionalId());
        return entry != null && entry.matches(committable) && entry.isCommitted();
    }

    /** The live producer of a reusable id, so the writer can begin its next transaction on it. */
    @Nullable
    TransactionalProducer reusableProducer(String transactionalId) {
        Entry entry = entries.get(transactionalId);
        return entry != null && entry.status == Status.REUSABLE ? entry.producer : null;
    }

    /** Drops the writer's producer from the entry (it is being closed), keeping the status. */
    void detach(String transactionalId) {
        entries.computeIfPresent(
                transactionalId,
                (id, entry) ->
                        new Entry(entry.status, null, entry.producerId, entry.epoch)
                                .withBound(entry.bound));
    }

    void forget(String transactionalId) {
        entries.remove(transactionalId);
    }

    private static final class Entry {
        final Status status;
        @Nullable final TransactionalProducer producer;
        final long producerId;
        final short epoch;

        /** For a committed entry: the writer's last snapshot before the commit. */
        final long bound;

        Entry(Status status, @Nullable TransactionalProducer producer, long pid, short epoch) {
            this(status, producer, pid, epoch, BEFORE_WRITER_START);
        }

        private Entry(
                Status status,
                @Nullable TransactionalProducer producer,
                long pid,
                short epoch,
                long bound) {
            this.status = status;
            this.producer = producer;
            this.producerId = pid;
            this.epoch = epoch;
            this.bound = bound;
        }

        Entry withBound(long bound) {
            return new Entry(status, producer, producerId, epoch, bound);
        }

        boolean matches(StreamsCommittable committable) {
            return producerId == committable.getProducerId() && epoch == committable.getEpoch();
        }

        boolean isCommitted() {
            return status == Status.COMMITTED || status == Status.REUSABLE;
        }
    }
}
