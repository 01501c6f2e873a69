package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.base.source.enumerator.PullSplitAssigner;
import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.source.OdpsSourceSettings;
import org.flinkconnectors.odps.source.split.OdpsSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Plans splits from download sessions and hands them to readers that ask for one.
 *
 * <p>{@link PartitionDiscovery} does the I/O in the coordinator's worker thread ({@link
 * SplitEnumeratorContext#callAsync}): once for a bounded source, every discovery interval for an
 * unbounded one. Its snapshots are planned here, in the coordinator thread, against the rows
 * already planned per partition: a new partition gets {@code [0, count)}, a partition that grew
 * gets only {@code [planned, count)} on its fresh session. Planning here, not in the worker, means
 * a checkpoint always holds the planned counts together with the splits they produced, and two
 * overlapping discoveries cannot plan the same rows twice.
 *
 * <p>A partition whose contents changed other than by appends ({@link PartitionDiscovery} finds
 * out) fails the discovery, or, with {@code reread}, arrives as a snapshot to read again: its
 * splits not handed out yet are dropped and all its new rows are planned. Partitions that are no
 * longer listed are forgotten, so one dropped and created again is read again from its first row.
 *
 * <p>Readers pull splits one at a time; requests are served in arrival order, splits in planning
 * order (partition, then row). A bounded source tells a reader that asks once everything is handed
 * out that no more splits will come.
 */
@Internal
public final class OdpsSourceEnumerator implements SplitEnumerator<OdpsSplit, OdpsEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(OdpsSourceEnumerator.class);

    private final SplitEnumeratorContext<OdpsSplit> context;
    private final OdpsSourceSettings settings;
    private final LongSupplier clock;
    private final Map<String, PartitionProgress> partitions;
    private final PullSplitAssigner<OdpsSplit> assigner;

    private boolean initialDiscoveryFinished;

    public OdpsSourceEnumerator(
            SplitEnumeratorContext<OdpsSplit> context,
            OdpsSourceSettings settings,
            OdpsEnumState state) {
        this(context, settings, state, System::currentTimeMillis);
    }

    /** With the clock that decides whether a partition was modified recently, for tests. */
    OdpsSourceEnumerator(
            SplitEnumeratorContext<OdpsSplit> context,
            OdpsSourceSettings settings,
            OdpsEnumState state,
            LongSupplier clock) {
        this.context = context;
        this.clock = clock;
        this.settings = settings;
        this.partitions = new LinkedHashMap<>(state.getPartitions());
        this.assigner = new PullSplitAssigner<>(context, state.getUnassignedSplits());
        this.initialDiscoveryFinished = state.isInitialDiscoveryFinished();
    }

    @Override
    public void start() {
        OdpsTableClient client = new OdpsTableClient(settings.connection(), settings.table());
        PartitionDiscovery discovery =
                new PartitionDiscovery(client, settings, Map.copyOf(partitions), clock);
        if (settings.isBounded()) {
            if (initialDiscoveryFinished) {
                LOG.info(
                        "Restored a bounded read of {}; nothing left to discover.",
                        client.tablePath());
                return;
            }
            LOG.info("Planning a bounded read of table {}.", client.tablePath());
            context.callAsync(discovery::discover, this::onDiscovered);
        } else {
            long interval = settings.discoveryInterval().get().toMillis();
            LOG.info(
                    "Reading table {} continuously, discovering new partitions and rows every {} ms.",
                    client.tablePath(),
                    interval);
            context.callAsync(discovery::discover, this::onDiscovered, 0, interval);
        }
    }

    private void onDiscovered(PartitionDiscovery.Result result, @Nullable Throwable error) {
        if (error != null) {
            throw new FlinkRuntimeException(
                    String.format(
                            "Could not discover the partitions of MaxCompute table %s: %s",
                            settings.table(), error.getMessage()),
                    error);
        }
        List<OdpsSplit> planned = new ArrayList<>();
        for (PartitionSnapshot snapshot : result.snapshots) {
            planned.addAll(plan(snapshot));
        }
        if (result.listedSpecs != null) {
            forgetDropped(result.listedSpecs);
        }
        if (!planned.isEmpty()) {
            LOG.info(
                    "Planned {} new split(s) of {} row(s) in total; {} split(s) wait for readers.",
                    planned.size(),
                    planned.stream().mapToLong(OdpsSplit::getRowCount).sum(),
                    assigner.unassignedCount() + planned.size());
            LOG.debug("New splits: {}", planned);
        }
        assigner.add(planned);
        initialDiscoveryFinished = true;
        assignPending();
    }

    private List<OdpsSplit> plan(PartitionSnapshot snapshot) {
        PartitionProgress known = partitions.get(snapshot.spec);
        long plannedRows = known == null || snapshot.reread ? 0 : known.getPlannedRows();
        if (snapshot.reread) {
            int dropped = assigner.remove(split -> split.getPartitionSpec().equals(snapshot.spec));
            LOG.info(
                    "Dropped {} unstarted split(s) of the previous contents of partition '{}' of"
                            + " table {}; planning its {} rows from the first one.",
                    dropped,
                    snapshot.spec,
                    settings.table(),
                    snapshot.rowCount);
        }
        partitions.put(snapshot.spec, snapshot.progress);
        return OdpsSplitPlanner.plan(
                snapshot.spec,
                snapshot.sessionId,
                plannedRows,
                snapshot.rowCount,
                settings.splitRows());
    }

    private void forgetDropped(Set<String> listedSpecs) {
        List<String> dropped = new ArrayList<>();
        for (String spec : partitions.keySet()) {
            if (!listedSpecs.contains(spec)) {
                dropped.add(spec);
            }
        }
        if (!dropped.isEmpty()) {
            partitions.keySet().removeAll(dropped);
            LOG.info(
                    "Partitions {} of table {} are no longer listed; forgetting them, so a"
                            + " partition created again under the same spec is read from its first"
                            + " row.",
                    dropped,
                    settings.table());
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        assigner.requested(subtaskId);
        assignPending();
    }

    private void assignPending() {
        assigner.assign(settings.isBounded() && initialDiscoveryFinished);
    }

    @Override
    public void addSplitsBack(List<OdpsSplit> splits, int subtaskId) {
        LOG.info(
                "Reader {} gave back {} split(s); assigning them again.", subtaskId, splits.size());
        assigner.addBack(splits);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for splits themselves (handleSplitRequest).
    }

    @Override
    public OdpsEnumState snapshotState(long checkpointId) {
        return new OdpsEnumState(partitions, assigner.unassigned(), initialDiscoveryFinished);
    }

    @Override
    public void close() {}
}
