package org.flinkconnectors.streams.sink.internal;

import org.flinkconnectors.streams.sink.StreamsCommittable;
import org.flinkconnectors.streams.sink.StreamsWriterState;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Aborts the open transactions a failed or rescaled run left behind, so that {@code read_committed}
 * consumers are not held back until the broker times them out. Transactions that a restored
 * committable still needs are left alone: the committer commits them.
 *
 * <p>Who cleans what: a restored writer state names its owner (parallelism, subtask); the subtask
 * that restores it aborts that owner's open transactions. On a fresh start (no state) every open
 * transaction of the prefix is stale; subtasks split them by hash.
 */
@Internal
public final class LingeringTransactionAborter {

    private static final Logger LOG = LoggerFactory.getLogger(LingeringTransactionAborter.class);

    private final Properties producerProperties;
    private final String prefix;

    public LingeringTransactionAborter(Properties producerProperties, String prefix) {
        this.producerProperties = producerProperties;
        this.prefix = prefix;
    }

    /** Returns the transactional ids it aborted. */
    public List<String> abortLingering(
            Collection<StreamsWriterState> restored,
            boolean restoredFromCheckpoint,
            int parallelism,
            int subtaskId) {
        Set<String> keep = new HashSet<>();
        for (StreamsWriterState state : restored) {
            state.getPending().stream()
                    .map(StreamsCommittable::getTransactionalId)
                    .forEach(keep::add);
        }
        List<String> candidates;
        try {
            candidates = listOpenTransactions();
        } catch (Exception e) {
            LOG.warn(
                    "Could not list open transactions of prefix '{}' ({}); probing the ids of the"
                            + " restored state instead.",
                    prefix,
                    e.toString());
            candidates = probeCandidates(restored);
        }
        List<String> aborted = new ArrayList<>();
        for (String id : candidates) {
            if (keep.contains(id)) {
                continue;
            }
            boolean mine =
                    restoredFromCheckpoint
                            ? restored.stream().anyMatch(state -> owns(state, id))
                            : TransactionalIds.parse(prefix, id).isPresent()
                                    && Math.floorMod(id.hashCode(), parallelism) == subtaskId;
            if (mine) {
                abort(id);
                aborted.add(id);
            }
        }
        if (!aborted.isEmpty()) {
            LOG.info("Aborted {} lingering transaction(s): {}", aborted.size(), aborted);
        }
        return aborted;
    }

    /** Whether {@code id} is exactly one of the ids the restored writer subtask owned. */
    private static boolean owns(StreamsWriterState state, String id) {
        return TransactionalIds.parse(state.getTransactionalIdPrefix(), id)
                .filter(p -> p.isOwnedBy(state.getParallelism(), state.getSubtaskId()))
                .isPresent();
    }

    private List<String> listOpenTransactions() throws Exception {
        Properties adminProperties = new Properties();
        adminProperties.putAll(producerProperties);
        adminProperties.putIfAbsent("default.api.timeout.ms", "30000");
        adminProperties.putIfAbsent("request.timeout.ms", "15000");
        try (Admin admin = Admin.create(adminProperties)) {
            Collection<TransactionListing> listings;
            try {
                listings =
                        list(
                                admin,
                                new ListTransactionsOptions()
                                        .filterStates(List.of(TransactionState.ONGOING))
                                        .filterOnTransactionalIdPattern(
                                                TransactionalIds.pattern(prefix)));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnsupportedVersionException)) {
                    throw e;
                }
                // Brokers before 4.1 cannot filter by pattern; filter here instead.
                listings =
                        list(
                                admin,
                                new ListTransactionsOptions()
                                        .filterStates(List.of(TransactionState.ONGOING)));
            }
            return listings.stream()
                    .map(TransactionListing::transactionalId)
                    // Exact again: older brokers do not filter, others may match partially.
                    .filter(id -> TransactionalIds.parse(prefix, id).isPresent())
                    .collect(Collectors.toList());
        }
    }

    private static Collection<TransactionListing> list(Admin admin, ListTransactionsOptions options)
            throws Exception {
        return admin.listTransactions(options).all().get(60, TimeUnit.SECONDS);
    }

    private static List<String> probeCandidates(Collection<StreamsWriterState> restored) {
        List<String> ids = new ArrayList<>();
        for (StreamsWriterState state : restored) {
            for (int i = 0; i < state.getPoolSize(); i++) {
                ids.add(
                        TransactionalIds.of(
                                state.getTransactionalIdPrefix(),
                                state.getParallelism(),
                                state.getSubtaskId(),
                                i));
            }
        }
        return ids;
    }

    private void abort(String transactionalId) {
        try (TransactionalProducer producer =
                new TransactionalProducer(producerProperties, transactionalId)) {
            // initTransactions bumps the epoch, which aborts the id's open transaction.
            producer.initTransactions();
        }
    }
}
