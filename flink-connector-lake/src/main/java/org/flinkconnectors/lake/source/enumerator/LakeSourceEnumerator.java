package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans the files of one table version into splits and hands them to readers that ask.
 *
 * <p>Planning reads table metadata (manifests, the Delta log), so it runs once in the coordinator's
 * worker thread ({@link SplitEnumeratorContext#callAsync}); its splits are taken over in the
 * coordinator thread, together with the planned version, so a checkpoint never holds one without
 * the other. A restored enumerator that already planned does not plan again: the splits it gave out
 * live in the readers' state, the rest in its own.
 *
 * <p>Readers pull one split at a time, so a fast reader takes more files than a slow one. Once
 * everything is handed out, a reader that asks is told that no more splits will come.
 */
@Internal
public final class LakeSourceEnumerator implements SplitEnumerator<LakeSplit, LakeEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(LakeSourceEnumerator.class);

    private final SplitEnumeratorContext<LakeSplit> context;
    private final LakeTableLoader tableLoader;
    private final LakeScanSpec spec;
    @Nullable private final Long version;
    private final Deque<LakeSplit> unassigned;
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    @Nullable private Long lastPlannedVersion;

    /**
     * @param version the resolved version to read; null if the table had no version, which reads
     *     nothing
     */
    public LakeSourceEnumerator(
            SplitEnumeratorContext<LakeSplit> context,
            LakeTableLoader tableLoader,
            LakeScanSpec spec,
            @Nullable Long version,
            LakeEnumState state) {
        this.context = context;
        this.tableLoader = tableLoader;
        this.spec = spec;
        this.version = version;
        this.unassigned = new ArrayDeque<>(state.unassignedSplits());
        this.lastPlannedVersion = state.lastPlannedVersion();
    }

    @Override
    public void start() {
        if (version == null) {
            LOG.info("{} has no version yet; there is nothing to read.", tableLoader.describe());
        } else if (lastPlannedVersion != null) {
            LOG.info(
                    "Restored the read of version {} of {}; {} split(s) are left to assign.",
                    lastPlannedVersion,
                    tableLoader.describe(),
                    unassigned.size());
        } else {
            LOG.info("Planning version {} of {} with {}.", version, tableLoader.describe(), spec);
            context.callAsync(this::plan, this::onPlanned);
        }
    }

    private List<LakeSplit> plan() throws Exception {
        try (LakeTable table = tableLoader.load()) {
            return table.planSplits(version, spec);
        }
    }

    private void onPlanned(List<LakeSplit> splits, @Nullable Throwable error) {
        if (error != null) {
            throw new FlinkRuntimeException(
                    String.format(
                            "Could not plan version %d of %s: %s",
                            version, tableLoader.describe(), error.getMessage()),
                    error);
        }
        LOG.info("Planned {} split(s) of version {}.", splits.size(), version);
        unassigned.addAll(splits);
        lastPlannedVersion = version;
        assignPending();
    }

    private boolean planningDone() {
        return version == null || lastPlannedVersion != null;
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        waitingReaders.add(subtaskId);
        assignPending();
    }

    private void assignPending() {
        Set<Integer> registered = context.registeredReaders().keySet();
        for (Iterator<Integer> it = waitingReaders.iterator(); it.hasNext(); ) {
            int reader = it.next();
            if (!registered.contains(reader)) {
                // It failed after asking; it asks again once it is back.
                it.remove();
            } else if (!unassigned.isEmpty()) {
                context.assignSplit(unassigned.poll(), reader);
                it.remove();
            } else if (planningDone()) {
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
        return new LakeEnumState(lastPlannedVersion, unassigned);
    }

    @Override
    public void close() {}
}
