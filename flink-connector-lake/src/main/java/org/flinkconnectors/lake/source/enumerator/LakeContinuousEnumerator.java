package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeStreamingSpec;
import org.flinkconnectors.lake.source.enumerator.LakeStreamPlanner.Discovery;
import org.flinkconnectors.lake.source.enumerator.LakeStreamPlanner.UnreadableHistoryException;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.FlinkRuntimeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * A streaming read: looks at the table's history every monitor interval ({@link LakeStreamPlanner},
 * in the worker thread) and never runs out of splits. Its position, the last version whose splits
 * it took over, is checkpointed together with the splits not yet assigned: the splits of a version
 * and the position past it are taken over at once, in the coordinator thread, so a restore neither
 * reads a version twice nor loses one. Splits go to whichever reader asks first, so a reader may
 * read rows of a later append before another reader finishes an earlier one; rows are emitted
 * exactly once but not in commit order. While readers lag behind by {@link
 * LakeStreamingSpec#maxPendingSplits} splits, the enumerator does not look for commits at all: its
 * cursor waits, so the backlog stays in the table rather than in its memory and checkpoints.
 */
@Internal
public final class LakeContinuousEnumerator extends LakeSourceEnumerator {

    private static final Logger LOG = LoggerFactory.getLogger(LakeContinuousEnumerator.class);

    /** Looks for new commits that fail this many times in a row fail the job. */
    static final int MAX_FAILED_DISCOVERIES = 3;

    private final LakeStreamingSpec streaming;
    private final LakeStreamPlanner streamPlanner;

    private int failedDiscoveries;

    /**
     * Whether the last look was left out for the splits pending; only the worker thread uses it.
     */
    private boolean backedUp;

    /** Commits known but not planned yet (a backlog past one look), for the gauge. */
    private volatile int pendingCommits;

    /** Rewriting commits passed over ('scan.on-rewrite' = 'skip'). */
    private final Counter skippedRewrites;

    /**
     * @param readSchema if set, each version read is checked against it (the job's schema)
     */
    public LakeContinuousEnumerator(
            SplitEnumeratorContext<LakeSplit> context,
            LakeTableLoader tableLoader,
            LakeScanSpec spec,
            LakeEnumState state,
            LakeStreamingSpec streaming,
            @Nullable LakeReadSchema readSchema) {
        super(context, tableLoader, state, streaming.changeRouting());
        this.streaming = streaming;
        this.streamPlanner = new LakeStreamPlanner(tableLoader, spec, streaming, readSchema);
        context.metricGroup().gauge(PENDING_COMMITS_METRIC, () -> pendingCommits);
        this.skippedRewrites = context.metricGroup().counter(SKIPPED_REWRITES_METRIC);
    }

    @Override
    public void start() {
        LOG.info(
                "Streaming read of {} {}; {} split(s) are left to assign.",
                tableLoader.describe(),
                !position.started()
                        ? "starts " + streaming.start()
                        : position.cursor() == null
                                ? "continues with the table's first version"
                                : "continues after version " + position.cursor(),
                splits.unassignedCount());
        context.callAsync(
                this::discoverUnlessBackedUp,
                this::onDiscovered,
                0,
                streaming.monitorInterval().toMillis());
    }

    /** Only a read with a stop version ends: once it has planned that version. */
    @Override
    protected boolean noMoreSplits() {
        return streamPlanner.reachedStop(position);
    }

    /**
     * One look for new commits, in the worker thread; null, without looking, while readers have
     * {@code maxPendingSplits} splits still to take. The cursor then stays where it is, so the
     * commits are planned, none skipped, once readers catch up.
     */
    @Nullable
    private Discovery discoverUnlessBackedUp() throws IOException {
        int budget = streaming.maxPendingSplits() - splits.unassignedCount();
        if (budget <= 0) {
            if (!backedUp) {
                LOG.info(
                        "{} split(s) of {} wait for readers ('scan.max-pending-splits' is {});"
                                + " new commits are planned once readers take them.",
                        splits.unassignedCount(),
                        tableLoader.describe(),
                        streaming.maxPendingSplits());
                backedUp = true;
            }
            return null;
        }
        if (backedUp) {
            LOG.info("Readers took pending splits; looking for new commits again.");
            backedUp = false;
        }
        return streamPlanner.discover(position, budget);
    }

    private void onDiscovered(@Nullable Discovery discovery, @Nullable Throwable error) {
        if (error != null) {
            onDiscoveryFailed(error);
            return;
        }
        failedDiscoveries = 0;
        if (discovery == null) {
            // Too many splits pending: this interval did not look.
            return;
        }
        if (!discovery.from().equals(position)) {
            // Started before the previous discovery was taken over: its versions are taken.
            LOG.debug("Dropped a discovery from {}; now at {}.", discovery.from(), position);
            return;
        }
        for (LakeIncrement skipped : discovery.skippedRewrites()) {
            LOG.warn(
                    "{}. Skipped as 'scan.on-rewrite' = 'skip' says: the rows it adds are not"
                            + " emitted, the rows it removes or changes stay emitted.",
                    LakeStreamPlanner.describeRewrite(skipped, tableLoader.describe()));
            skippedRewrites.inc();
        }
        splits.add(discovery.splits());
        position = discovery.to();
        pendingCommits = discovery.pendingCommits();
        assignPending();
    }

    private void onDiscoveryFailed(Throwable error) {
        String message =
                String.format(
                        "Could not continue the streaming read of %s: %s",
                        tableLoader.describe(), error.getMessage());
        if (error instanceof UnreadableHistoryException) {
            // The table's history stays as it is: a restart would fail the same way.
            throw new SuppressRestartsException(new FlinkRuntimeException(message, error));
        }
        failedDiscoveries++;
        if (failedDiscoveries >= MAX_FAILED_DISCOVERIES) {
            throw new FlinkRuntimeException(
                    message + " (failed " + failedDiscoveries + " times in a row)", error);
        }
        LOG.warn(
                "Looking for new commits failed ({} of {} attempts); trying again in {}.",
                failedDiscoveries,
                MAX_FAILED_DISCOVERIES,
                streaming.monitorInterval(),
                error);
    }
}
