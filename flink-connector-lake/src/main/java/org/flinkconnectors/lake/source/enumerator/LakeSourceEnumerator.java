package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.base.source.enumerator.PullSplitAssigner;
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
import java.util.List;
import java.util.Optional;

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

    /** Splits waiting for a reader that asks; plain splits go to any, change splits routed. */
    protected final PullSplitAssigner<LakeSplit> splits;

    /**
     * Whether the scan was planned (a streaming read: started) and the version planned (the last
     * version enumerated). Volatile: the worker thread reads it to look for later versions.
     */
    protected volatile Position position;

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
        this.splits = new PullSplitAssigner<>(context, state.unassignedSplits(), this::mayRead);
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
        // Gauges are read in a reporter's thread: they read volatile copies, not the queue.
        metrics.gauge(PENDING_SPLITS_METRIC, splits::unassignedCount);
        metrics.gauge(
                CURRENT_VERSION_METRIC,
                () -> position.cursor() == null ? -1L : position.cursor().longValue());
        return metrics.counter(ASSIGNED_SPLITS_METRIC);
    }

    /** Whether a reader that asks while no split is left is told that none will come. */
    protected abstract boolean noMoreSplits();

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        splits.requested(subtaskId);
        assignPending();
    }

    protected final void assignPending() {
        assignedSplits.inc(splits.assign(noMoreSplits()));
    }

    /**
     * Whether this reader may read the split: any plain split, or a change split routed to it. A
     * reader reads one split at a time, so the changes routed to one reader are read in planning
     * order: by version, deletes before inserts.
     */
    private boolean mayRead(LakeSplit split, int reader) {
        Optional<String> route = split.routingKey();
        return route.isEmpty() || ownerOf(route.get()) == reader;
    }

    private int ownerOf(String routingKey) {
        return changeRouting == LakeChangeRouting.BY_PARTITION
                ? Math.floorMod(routingKey.hashCode(), context.currentParallelism())
                : 0;
    }

    @Override
    public void addSplitsBack(List<LakeSplit> splits, int subtaskId) {
        LOG.info("Reader {} gave back {} split(s).", subtaskId, splits.size());
        this.splits.addBack(splits);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for splits themselves (handleSplitRequest).
    }

    @Override
    public LakeEnumState snapshotState(long checkpointId) {
        return new LakeEnumState(position.started(), position.cursor(), splits.unassigned());
    }

    @Override
    public void close() throws IOException {
        librariesUse.close();
    }
}
