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
 * <p>An id becomes reusable only when its transaction is committed <em>and</em> a later checkpoint
 * has completed, because until then a restore could hand the same committable to the committer
 * again, and reusing the id would fence that retried commit.
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

    // Concurrent because a committer that is not chained to its writer runs in another thread.
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** The number of transactional ids it tracks. */
    public int size() {
        return entries.size();
    }

    @Nullable
    public Status status(String transactionalId) {
        Entry entry = entries.get(transactionalId);
        return entry == null ? null : entry.status;
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
        entries.compute(
                committable.getTransactionalId(),
                (id, entry) ->
                        new Entry(
                                Status.COMMITTED,
                                entry != null && entry.matches(committable) ? entry.producer : null,
                                committable.getProducerId(),
                                committable.getEpoch()));
    }

    public void reusable(StreamsCommittable committable) {
        entries.computeIfPresent(
                committable.getTransactionalId(),
                (id, entry) ->
                        entry.status == Status.COMMITTED && entry.matches(committable)
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
                (id, entry) -> new Entry(entry.status, null, entry.producerId, entry.epoch));
    }

    void forget(String transactionalId) {
        entries.remove(transactionalId);
    }

    private static final class Entry {
        final Status status;
        @Nullable final TransactionalProducer producer;
        final long producerId;
        final short epoch;

        Entry(Status status, @Nullable TransactionalProducer producer, long pid, short epoch) {
            this.status = status;
            this.producer = producer;
            this.producerId = pid;
            this.epoch = epoch;
        }

        boolean matches(StreamsCommittable committable) {
            return producerId == committable.getProducerId() && epoch == committable.getEpoch();
        }

        boolean isCommitted() {
            return status == Status.COMMITTED || status == Status.REUSABLE;
        }
    }
}
