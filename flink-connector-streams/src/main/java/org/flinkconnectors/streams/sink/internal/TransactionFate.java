package org.flinkconnectors.streams.sink.internal;

import org.apache.flink.annotation.Internal;

/**
 * What the broker's transaction coordinator says became of a transaction whose commit was refused:
 * the verdict, and the coordinator's view as text for error messages.
 */
@Internal
public final class TransactionFate {

    /** The verdict. */
    public enum Verdict {
        /** The transaction committed earlier (a retried commit): nothing is lost. */
        COMMITTED,
        /** The coordinator aborted it, most likely after {@code transaction.timeout.ms}. */
        ABORTED,
        /**
         * The id has moved on (a newer producer, epoch or producer id), so the coordinator no
         * longer knows how this transaction ended.
         */
        UNKNOWN
    }

    private final Verdict verdict;
    private final String brokerView;

    TransactionFate(Verdict verdict, String brokerView) {
        this.verdict = verdict;
        this.brokerView = brokerView;
    }

    public Verdict verdict() {
        return verdict;
    }

    public boolean isCommitted() {
        return verdict == Verdict.COMMITTED;
    }

    /** The coordinator's state of the id, e.g. {@code CompleteAbort, producer 7 epoch 3}. */
    public String brokerView() {
        return brokerView;
    }

    @Override
    public String toString() {
        return verdict + " (" + brokerView + ")";
    }
}
