package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeStaticResources;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeChangeRouting;
import org.flinkconnectors.lake.source.enumerator.LakeStreamPlanner.Position;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

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
import java.util.Optional;
import java.util.Set;

/**
 * Hands a lake table's splits to readers that ask, one at a time, so a fast reader takes more files
 * than a slow one. What it hands out comes from planning, which runs in the coordinator's worker
 * thread ({@link SplitEnumeratorContext#callAsync}) because it reads table metadata (manifests, the
 * Delta log); its result is taken over in the coordinator thread, the position together with the
 * splits, so a checkpoint never holds one without the other. {@link LakeBoundedEnumerator} plans
 * one version once; {@link LakeContinuousEnumerator} follows the table's history.
 */
@Internal
public abstract class LakeSourceEnumerator implements SplitEnumerator<LakeSplit, LakeEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(LakeSourceEnumerator.class);

    public static final String PENDING_SPLITS_METRIC = "pendingSplits";
    public static final String ASSIGNED_SPLITS_METRIC = "assignedSplits";
    public static final String CURRENT_VERSION_METRIC = "currentVersion";
    public static final String PENDING_COMMITS_METRIC = "pendingCommits";
    public static final String SKIPPED_REWRITES_METRIC = "skippedRewrites";

    protected final SplitEnumeratorContext<LakeSplit> context;
    protected final LakeTableLoader tableLoader;

    /** Lets the JobManager unload the lake jar with the job; see {@link LakeStaticResources}. */
    private final Closeable librariesUse;

    protected final Deque<LakeSplit> unassigned;
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();

    /**
     * Whether the scan was planned (a streaming read: started) and the version planned (the last
     * version enumerated). Volatile: the worker thread reads it to look for later versions.
     */
    protected volatile Position position;

    /** The size of {@link #unassigned} for the gauge, which is read in another thread. */
    protected volatile int unassignedCount;

    private final Counter assignedSplits;

    /** Which reader a change split goes to; plain splits go to any reader that asks. */
    private final LakeChangeRouting changeRouting;

    LakeSourceEnumerator(
            SplitEnumeratorContext<LakeSplit> context,
            LakeTableLoader tableLoader,
            LakeEnumState state,
            LakeChangeRouting changeRouting) {
        this.context = context;
        this.changeRouting = changeRouting;
        this.tableLoader = tableLoader;
        this.unassigned = new ArrayDeque<>(state.unassignedSplits());
        this.unassignedCount = unassigned.size();
        this.position = new Position(state.planned(), state.plannedVersion());
        this.assignedSplits = registerMetrics(context.metricGroup());
        this.librariesUse = LakeStaticResources.openJobManagerUse();
    }

    /**
     * The enumerator's gauges, beside the readers' standard ones: splits waiting for a reader and
     * splits handed out, and the version planned last (for a streaming read its cursor; -1 before
     * it has one).
     */
    private Counter registerMetrics(SplitEnumeratorMetricGroup metrics) {
        // Gauges are read in a reporter's thread: they read volatile copies, not the deque.
        metrics.gauge(PENDING_SPLITS_METRIC, () -> unassignedCount);
        metrics.gauge(
                CURRENT_VERSION_METRIC,
                () -> position.cursor() == null ? -1L : position.cursor().longValue());
        return metrics.counter(ASSIGNED_SPLITS_METRIC);
    }

    /** Whether a reader that asks while no split is left is told that none will come. */
    protected abstract boolean noMoreSplits();

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        waitingReaders.add(subtaskId);
        assignPending();
    }

    protected final void assignPending() {
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
                continue;
            }
            LakeSplit next = takeNextFor(reader);
            if (next != null) {
                context.assignSplit(next, reader);
                assignedSplits.inc();
                it.remove();
            } else if (noMoreSplits()) {
                context.signalNoMoreSplits(reader);
                it.remove();
            }
        }
    }

    /**
     * The first split in planning order this reader may read: any plain split, or a change split
     * routed to it. A reader reads one split at a time, so the changes routed to one reader are
     * read in planning order: by version, deletes before inserts.
     */
    @Nullable
    private LakeSplit takeNextFor(int reader) {
        for (Iterator<LakeSplit> it = unassigned.iterator(); it.hasNext(); ) {
            LakeSplit split = it.next();
            Optional<String> route = split.routingKey();
            if (route.isEmpty() || ownerOf(route.get()) == reader) {
                it.remove();
                return split;
            }
        }
        return null;
    }

    private int ownerOf(String routingKey) {
        return changeRouting == LakeChangeRouting.BY_PARTITION
                ? Math.floorMod(routingKey.hashCode(), context.currentParallelism())
                : 0;
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
}
