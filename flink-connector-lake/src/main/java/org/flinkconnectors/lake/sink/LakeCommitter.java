package org.flinkconnectors.lake.sink;

import org.flinkconnectors.base.sink.CommitMetrics;
import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Commits each checkpoint's {@link LakeCommittable} as one table version once the checkpoint
 * completed. Only subtask 0 receives committables (the aggregator sends them there), so the table
 * sees one committer.
 *
 * <p>Committables are committed in checkpoint order and a failure fails the job rather than being
 * retried later: a later checkpoint committed first would make the earlier one look committed.
 * After the restart Flink hands the committables back, and the table's idempotent commit skips
 * those already committed.
 *
 * <p>Each table version it creates counts as one commit in its {@link CommitMetrics}, with the rows
 * and bytes of the committed files; a version found already made after a restore is not counted
 * again.
 */
@Internal
final class LakeCommitter implements Committer<LakeCommittable> {

    private final LakeTableLoader loader;
    @Nullable private final LakeOverwrite overwrite;
    private final CommitMetrics metrics;
    private LakeTable table;

    LakeCommitter(LakeTableLoader loader) {
        this(loader, null);
    }

    LakeCommitter(LakeTableLoader loader, @Nullable LakeOverwrite overwrite) {
        this(loader, overwrite, new CommitMetrics(new UnregisteredMetricsGroup()));
    }

    LakeCommitter(
            LakeTableLoader loader, @Nullable LakeOverwrite overwrite, CommitMetrics metrics) {
        this.loader = loader;
        this.overwrite = overwrite;
        this.metrics = metrics;
    }

    @Override
    public void commit(Collection<CommitRequest<LakeCommittable>> requests) throws IOException {
        List<CommitRequest<LakeCommittable>> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparingLong(r -> r.getCommittable().commitId().checkpointId()));
        for (CommitRequest<LakeCommittable> request : ordered) {
            LakeCommittable committable = request.getCommittable();
            OptionalLong version;
            long started = CommitMetrics.start();
            try {
                version =
                        overwrite == null
                                ? table().commit(committable.writeResults(), committable.commitId())
                                : table().commitOverwrite(
                                                committable.writeResults(),
                                                committable.commitId(),
                                                overwrite);
            } catch (IOException | RuntimeException e) {
                request.signalFailedWithUnknownReason(
                        new IOException(
                                "Could not commit checkpoint "
                                        + committable.commitId().checkpointId()
                                        + " to "
                                        + loader.describe(),
                                e));
                return;
            }
            if (version.isEmpty()) {
                request.signalAlreadyCommitted();
            } else {
                metrics.committed(started, records(committable), bytes(committable));
            }
        }
    }

    private static long records(LakeCommittable committable) {
        return committable.writeResults().stream().mapToLong(LakeWriteResult::recordCount).sum();
    }

    private static long bytes(LakeCommittable committable) {
        return committable.writeResults().stream().mapToLong(LakeWriteResult::byteCount).sum();
    }

    private LakeTable table() throws IOException {
        if (table == null) {
            table = loader.load();
        }
        return table;
    }

    @Override
    public void close() throws IOException {
        if (table != null) {
            table.close();
        }
    }
}
