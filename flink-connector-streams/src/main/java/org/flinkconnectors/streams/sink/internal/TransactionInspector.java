package org.flinkconnectors.streams.sink.internal;

import org.flinkconnectors.streams.sink.StreamsCommittable;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Asks the transaction coordinator (Admin {@code describeTransactions}) what became of a
 * transaction whose commit the broker refused.
 *
 * <p>Needed because a refused commit does not always mean a loss: with transaction protocol version
 * 2 (KIP-890, the default of Kafka 4 brokers) the broker bumps the epoch when a transaction ends,
 * so re-committing a transaction that is already committed (a commit retried after a restore) is
 * refused as fenced. The coordinator still shows the id's last transaction with the same producer
 * id, an epoch at most one higher, and its end state; that tells a retried commit from an abort.
 * Once the id has begun another transaction the outcome is gone.
 */
@Internal
public final class TransactionInspector {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private final Properties adminProperties;

    public TransactionInspector(Properties clientProperties) {
        this.adminProperties = new Properties();
        adminProperties.putAll(clientProperties);
        adminProperties.putIfAbsent("default.api.timeout.ms", "30000");
        adminProperties.putIfAbsent("request.timeout.ms", "15000");
    }

    /** Describes the committable's id and classifies it; never throws for a broker error. */
    public TransactionFate inspect(StreamsCommittable committable) {
        String id = committable.getTransactionalId();
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminProperties)) {
            while (true) {
                TransactionDescription description =
                        admin.describeTransactions(List.of(id))
                                .description(id)
                                .get(SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                TransactionState state = description.state();
                boolean settling =
                        state == TransactionState.PREPARE_COMMIT
                                || state == TransactionState.PREPARE_ABORT;
                // A prepared state is decided already but may still change its epoch; wait for
                // its markers so the verdict rests on the final state.
                if (!settling || System.nanoTime() > deadline) {
                    return classify(committable, description);
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransactionalIdNotFoundException) {
                return new TransactionFate(
                        TransactionFate.Verdict.UNKNOWN,
                        "the coordinator no longer knows the transactional id (expired)");
            }
            return unreachable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(e);
        } catch (Exception e) {
            return unreachable(e);
        }
    }

    @VisibleForTesting
    static TransactionFate classify(
            StreamsCommittable committable, TransactionDescription description) {
        String view =
                String.format(
                        "coordinator state %s, producer id %d, epoch %d",
                        description.state(), description.producerId(), description.producerEpoch());
        int epochAdvance = description.producerEpoch() - committable.getEpoch();
        // Ending a transaction bumps the epoch by one on protocol version 2, by none before; a
        // newer producer (initTransactions) moves it further. This sink never aborts a
        // transaction it handed to the committer, so a commit state at these epochs is ours.
        boolean sameTransaction =
                description.producerId() == committable.getProducerId()
                        && (epochAdvance == 0 || epochAdvance == 1);
        if (sameTransaction) {
            switch (description.state()) {
                case COMPLETE_COMMIT:
                case PREPARE_COMMIT:
                    return new TransactionFate(TransactionFate.Verdict.COMMITTED, view);
                case COMPLETE_ABORT:
                case PREPARE_ABORT:
                    return new TransactionFate(TransactionFate.Verdict.ABORTED, view);
                default:
                    break;
            }
        }
        return new TransactionFate(TransactionFate.Verdict.UNKNOWN, view);
    }

    private static TransactionFate unreachable(Throwable cause) {
        return new TransactionFate(
                TransactionFate.Verdict.UNKNOWN, "could not describe the transaction: " + cause);
    }
}
