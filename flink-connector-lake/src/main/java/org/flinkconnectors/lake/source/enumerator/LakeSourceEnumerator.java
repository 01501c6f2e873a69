package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeStaticResources;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeStreamingSpec;
import org.flinkconnectors.lake.source.enumerator.LakeStreamPlanner.Discovery;
import org.flinkconnectors.lake.source.enumerator.LakeStreamPlanner.Position;
import org.flinkconnectors.lake.source.enumerator.LakeStreamPlanner.UnreadableHistoryException;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.FlinkRuntimeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Resolves the version to read when the job starts, plans its files into splits and hands them to
 * readers that ask.
 *
 * <p>Resolving here rather than when the source is built means a job reads the table as it is when
 * it runs, not when its graph was built. Planning reads table metadata (manifests, the Delta log),
 * so it runs once in the coordinator's worker thread ({@link SplitEnumeratorContext#callAsync});
 * its result is taken over in the coordinator thread, the version together with the splits, so a
 * checkpoint never holds one without the other. A restored enumerator that already planned does not
 * plan again: the splits it gave out live in the readers' state, the rest in its own.
 *
 * <p>Readers pull one split at a time, so a fast reader takes more files than a slow one. Once
 * everything is handed out, a reader that asks is told that no more splits will come.
 *
 * <p>A streaming read instead looks at the table's history every monitor interval ({@link
 * LakeStreamPlanner}, in the worker thread) and never runs out of splits. Its position, the last
 * version whose splits it took over, is checkpointed together with the splits not yet assigned: the
 * splits of a version and the position past it are taken over at once, in the coordinator thread,
 * so a restore neither reads a version twice nor loses one. Splits go to whichever reader asks
 * first, so a reader may read rows of a later append before another reader finishes an earlier one;
 * rows are emitted exactly once but not in commit order. While readers lag behind by {@link
 * LakeStreamingSpec#maxPendingSplits} splits, the enumerator does not look for commits at all: its
 * cursor waits, so the backlog stays in the table rather than in its memory and checkpoints.
 */
@Internal
public final class LakeSourceEnumerator implements SplitEnumerator<LakeSplit, LakeEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(LakeSourceEnumerator.class);

    public static final String PENDING_SPLITS_METRIC = "pendingSplits";
    public static final String ASSIGNED_SPLITS_METRIC = "assignedSplits";
    public static final String CURRENT_VERSION_METRIC = "currentVersion";
    public static final String PENDING_COMMITS_METRIC = "pendingCommits";
    public static final String SKIPPED_REWRITES_METRIC = "skippedRewrites";

    /** Looks for new commits that fail this many times in a row fail the job. */
    static final int MAX_FAILED_DISCOVERIES = 3;

    private final SplitEnumeratorContext<LakeSplit> context;
    private final LakeTableLoader tableLoader;

    /** Lets the JobManager unload the lake jar with the job; see {@link LakeStaticResources}. */
    private final Closeable librariesUse;

    private final LakeScanSpec spec;
    private final Deque<LakeSplit> unassigned;
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    @Nullable private final LakeStreamingSpec streaming;
    @Nullable private final LakeStreamPlanner streamPlanner;

    /**
     * Whether the scan was planned (a streaming read: started) and the version planned (the last
     * version enumerated). Volatile: the worker thread reads it to look for later versions.
     */
    private volatile Position position;

    private int failedDiscoveries;

    /**
     * Whether the last look was left out for the splits pending; only the worker thread uses it.
     */
    private boolean backedUp;

    /** Commits a streaming read knows of but has not planned yet (a backlog past one look). */
    private volatile int pendingCommits;

    /** The size of {@link #unassigned} for the gauge, which is read in another thread. */
    private volatile int unassignedCount;

    private final Counter assignedSplits;

    /** Rewriting commits passed over ('scan.on-rewrite' = 'skip'); null for a bounded read. */
    @Nullable private final Counter skippedRewrites;

    /** A bounded read. */
    public LakeSourceEnumerator(
            SplitEnumeratorContext<LakeSplit> context,
            LakeTableLoader tableLoader,
            LakeScanSpec spec,
            LakeEnumState state) {
        this(context, tableLoader, spec, state, null);
    }

    /** A bounded read, or a streaming one if {@code streaming} is set. */
    public LakeSourceEnumerator(
            SplitEnumeratorContext<LakeSplit> context,
            LakeTableLoader tableLoader,
            LakeScanSpec spec,
            LakeEnumState state,
            @Nullable LakeStreamingSpec streaming) {
        this(context, tableLoader, spec, state, streaming, null);
    }

    /**
     * A bounded read, or a streaming one if {@code streaming} is set, which checks each version it
     * reads against the job's {@code readSchema} if set.
     */
    public LakeSourceEnumerator(
            SplitEnumeratorContext<LakeSplit> context,
            LakeTableLoader tableLoader,
            LakeScanSpec spec,
            LakeEnumState state,
            @Nullable LakeStreamingSpec streaming,
            @Nullable LakeReadSchema readSchema) {
        this.context = context;
        this.tableLoader = tableLoader;
        this.spec = spec;
        this.unassigned = new ArrayDeque<>(state.unassignedSplits());
        this.unassignedCount = unassigned.size();
        this.position = new Position(state.planned(), state.plannedVersion());
        this.streaming = streaming;
        this.streamPlanner =
                streaming == null
                        ? null
                        : new LakeStreamPlanner(tableLoader, spec, streaming, readSchema);
        this.assignedSplits = registerMetrics(context.metricGroup());
        this.skippedRewrites =
                streaming == null ? null : context.metricGroup().counter(SKIPPED_REWRITES_METRIC);
        this.librariesUse = LakeStaticResources.openJobManagerUse();
    }

    /**
     * The enumerator's gauges, beside the readers' standard ones: splits waiting for a reader and
     * splits handed out, the version planned last (for a streaming read its cursor; -1 before it
     * has one) and, streaming, the commits known but not planned yet.
     */
    private Counter registerMetrics(SplitEnumeratorMetricGroup metrics) {
        // Gauges are read in a reporter's thread: they read volatile copies, not the deque.
        metrics.gauge(PENDING_SPLITS_METRIC, () -> unassignedCount);
        metrics.gauge(
                CURRENT_VERSION_METRIC,
                () -> position.cursor() == null ? -1L : position.cursor().longValue());
        if (streaming != null) {
            metrics.gauge(PENDING_COMMITS_METRIC, () -> pendingCommits);
        }
        return metrics.counter(ASSIGNED_SPLITS_METRIC);
    }

    @Override
    public void start() {
        if (streamPlanner != null) {
            LOG.info(
                    "Streaming read of {} {}; {} split(s) are left to assign.",
                    tableLoader.describe(),
                    !position.started()
                            ? "starts " + streaming.start()
                            : position.cursor() == null
                                    ? "continues with the table's first version"
                                    : "continues after version " + position.cursor(),
                    unassigned.size());
            context.callAsync(
                    this::discoverUnlessBackedUp,
                    this::onDiscovered,
                    0,
                    streaming.monitorInterval().toMillis());
        } else if (position.started()) {
            LOG.info(
                    "Restored the read of version {} of {}; {} split(s) are left to assign.",
                    position.cursor(),
                    tableLoader.describe(),
                    unassigned.size());
        } else {
            context.callAsync(this::plan, this::onPlanned);
        }
    }

    /**
     * One look for new commits, in the worker thread; null, without looking, while readers have
     * {@code maxPendingSplits} splits still to take. The cursor then stays where it is, so the
     * commits are planned, none skipped, once readers catch up.
     */
    @Nullable
    private Discovery discoverUnlessBackedUp() throws IOException {
        int budget = streaming.maxPendingSplits() - unassignedCount;
        if (budget <= 0) {
            if (!backedUp) {
                LOG.info(
                        "{} split(s) of {} wait for readers ('scan.max-pending-splits' is {});"
                                + " new commits are planned once readers take them.",
                        unassignedCount,
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

    private Plan plan() throws Exception {
        try (LakeTable table = tableLoader.load()) {
            OptionalLong version = table.resolveVersion(spec.version());
            if (version.isEmpty()) {
                return new Plan(null, List.of());
            }
            LOG.info("Planning version {} of {} with {}.", version, tableLoader.describe(), spec);
            return new Plan(version.getAsLong(), table.planSplits(version.getAsLong(), spec));
        }
    }

    private void onPlanned(Plan plan, @Nullable Throwable error) {
        if (error != null) {
            throw new FlinkRuntimeException(
                    String.format(
                            "Could not plan the scan of %s: %s",
                            tableLoader.describe(), error.getMessage()),
                    error);
        }
        if (plan.version == null) {
            LOG.info("{} has no version yet; there is nothing to read.", tableLoader.describe());
        } else {
            LOG.info("Planned {} split(s) of version {}.", plan.splits.size(), plan.version);
        }
        unassigned.addAll(plan.splits);
        position = new Position(true, plan.version);
        assignPending();
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
        unassigned.addAll(discovery.splits());
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

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        waitingReaders.add(subtaskId);
        assignPending();
    }

    private void assignPending() {
        assignPendingSplits();
        unassignedCount = unassigned.size();
    }

    private void assignPendingSplits() {
        Set<Integer> registered = context.registeredReaders().keySet();
        for (Iterator<Integer> it = waitingReaders.iterator(); it.hasNext(); ) {
            int reader = it.next();
            if (!registered.contains(reader)) {
                // It failed after asking; it asks again once it is back.
                it.remove();
            } else if (!unassigned.isEmpty()) {
                context.assignSplit(unassigned.poll(), reader);
                assignedSplits.inc();
                it.remove();
            } else if (position.started() && streamPlanner == null) {
                context.signalNoMoreSplits(reader);
                it.remove();
            }
        }
    }

    @Override
    public void addSplitsBack(List<LakeSplit> splits, int subtaskId) {
        LOG.info("Reader {} gave back {} split(s).", subtaskId, splits.size());
        for (int i = splits.size() - 1; i >= 0; i--) {
            unassigned.addFirst(splits.get(i));
        }
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for splits themselves (handleSplitRequest).
    }

    @Override
    public LakeEnumState snapshotState(long checkpointId) {
        return new LakeEnumState(position.started(), position.cursor(), unassigned);
    }

    @Override
    public void close() throws IOException {
        librariesUse.close();
    }

    /** The outcome of planning: the resolved version (null for a table without one), its splits. */
    private static final class Plan {
        @Nullable final Long version;
        final List<LakeSplit> splits;

        Plan(@Nullable Long version, List<LakeSplit> splits) {
            this.version = version;
            this.splits = splits;
        }
    }
}
