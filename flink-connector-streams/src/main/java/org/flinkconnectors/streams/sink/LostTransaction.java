package org.flinkconnectors.streams.sink;

import org.flinkconnectors.streams.sink.internal.TransactionFate;

import org.apache.flink.annotation.Internal;

/**
 * Describes a Kafka transaction that ended without its commit, so that the error and the log line
 * name the same facts: transactional id, checkpoint, producer id and epoch, what the broker says,
 * the likely cause and what the user can do.
 */
@Internal
final class LostTransaction {

    private LostTransaction() {}

    static String describe(
            StreamsCommittable committable,
            TransactionFate fate,
            Throwable error,
            OnLostTransaction onLostTransaction) {
        String checkpoint =
                committable.getCheckpointId() == StreamsCommittable.UNKNOWN_CHECKPOINT
                        ? "an unknown checkpoint (state of an older connector version)"
                        : "checkpoint " + committable.getCheckpointId();
        String cause;
        switch (fate.verdict()) {
            case ABORTED:
                cause =
                        "The broker aborted it, most likely because it stayed open longer than"
                                + " transaction.timeout.ms (checkpoint interval plus failover or"
                                + " downtime before the commit).";
                break;
            default:
                cause =
                        "A newer producer of the same transactional id fenced it, so the broker no"
                                + " longer records whether it committed: the broker aborted it"
                                + " after transaction.timeout.ms and the id was used again, the job"
                                + " was restored from an old savepoint whose transactions were"
                                + " committed long ago, or another job uses the same"
                                + " transactional id prefix.";
        }
        return String.format(
                "Kafka transaction '%s' (producer id %d, epoch %d) of %s could not be committed"
                        + " (%s; %s), so the records of that checkpoint are not in Kafka. %s To"
                        + " avoid it, raise the producer property transaction.timeout.ms above the"
                        + " longest time from a checkpoint to its commit (including restarts) and"
                        + " the broker's transaction.max.timeout.ms with it, and give every job its"
                        + " own transactional id prefix. %s",
                committable.getTransactionalId(),
                committable.getProducerId(),
                committable.getEpoch(),
                checkpoint,
                error.getClass().getSimpleName(),
                fate.brokerView(),
                cause,
                onLostTransaction == OnLostTransaction.LOG
                        ? "The job goes on because 'sink.on-lost-transaction' = 'log'."
                        : "To accept the loss and go on, set 'sink.on-lost-transaction' = 'log'"
                                + " (setOnLostTransaction(LOG)).");
    }
}
