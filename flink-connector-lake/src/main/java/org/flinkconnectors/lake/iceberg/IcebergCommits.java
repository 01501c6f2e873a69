package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeCommitId;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * How a {@link LakeCommitId} is recorded in an Iceberg table and found again.
 *
 * <p>Each commit's snapshot summary holds write id, job id, operator id and checkpoint id, and in
 * the same transaction the table property {@code flink-connector-suite.last-commit.<operator id>}
 * is set to {@code <write id>:<checkpoint id>}. A commit is found in the summaries of the current
 * snapshot's ancestors. When snapshots were expired since, the ancestors may no longer reach it:
 * then the property (which expiry keeps) tells for the latest write of the operator, and for older
 * writes whether the commit's files are live in the table. A write that started after the oldest
 * snapshot still reachable cannot have commits beyond it, so it never pays for that file scan.
 */
@Internal
final class IcebergCommits {

    static final String WRITE_ID = "flink-connector-suite.write-id";
    static final String JOB_ID = "flink-connector-suite.job-id";
    static final String OPERATOR_ID = "flink-connector-suite.operator-id";
    static final String CHECKPOINT_ID = "flink-connector-suite.checkpoint-id";
    static final String LAST_COMMIT_PREFIX = "flink-connector-suite.last-commit.";

    /** Clock skew allowed between the write's start and snapshot timestamps. */
    private static final long CLOCK_SKEW_MILLIS = 10 * 60 * 1000L;

    private IcebergCommits() {}

    /** What a lookup found: the snapshot of the commit, if it still exists. */
    record Found(@Nullable Snapshot snapshot) {
        String describe() {
            return snapshot == null
                    ? "in a snapshot expired since"
                    : "as snapshot " + snapshot.snapshotId();
        }
    }

    /**
     * Commits the update that {@code updateOf} creates in a new transaction, recording the id in
     * the snapshot summary and the operator's last-commit property atomically with it.
     */
    static void commit(
            Table table, LakeCommitId id, Function<Transaction, SnapshotUpdate<?>> updateOf) {
        Transaction transaction = table.newTransaction();
        SnapshotUpdate<?> update = updateOf.apply(transaction);
        update.set(WRITE_ID, id.writeId());
        update.set(JOB_ID, id.jobId());
        update.set(OPERATOR_ID, id.operatorId());
        update.set(CHECKPOINT_ID, Long.toString(id.checkpointId()));
        update.commit();
        transaction
                .updateProperties()
                .set(LAST_COMMIT_PREFIX + id.operatorId(), id.writeId() + ":" + id.checkpointId())
                .commit();
        transaction.commitTransaction();
    }

    /**
     * Whether the table (as last refreshed) holds the commit of this id's checkpoint or a later one
     * of the same write; {@code files} are the commit's file locations, for the expired case.
     */
    @Nullable
    static Found find(Table table, LakeCommitId id, Collection<String> files) {
        Snapshot oldest = null;
        Snapshot current = table.currentSnapshot();
        for (Snapshot s = current; s != null; s = parent(table, s)) {
            oldest = s;
            Map<String, String> summary = s.summary();
            String writeId = summary.getOrDefault(WRITE_ID, summary.get(JOB_ID));
            if (id.writeId().equals(writeId) && id.operatorId().equals(summary.get(OPERATOR_ID))) {
                // Checkpoint ids of one write only grow: its newest commit decides.
                String checkpoint = summary.get(CHECKPOINT_ID);
                return checkpoint != null && Long.parseLong(checkpoint) >= id.checkpointId()
                        ? new Found(s)
                        : null;
            }
        }
        boolean historyComplete = oldest == null || oldest.parentId() == null;
        if (historyComplete || startedAfter(id, oldest)) {
            return null;
        }
        String last = table.properties().get(LAST_COMMIT_PREFIX + id.operatorId());
        if (last != null && last.startsWith(id.writeId() + ":")) {
            long checkpoint = Long.parseLong(last.substring(id.writeId().length() + 1));
            return checkpoint >= id.checkpointId() ? new Found(null) : null;
        }
        return anyLive(table, current, Set.copyOf(files)) ? new Found(null) : null;
    }

    private static boolean startedAfter(LakeCommitId id, Snapshot snapshot) {
        OptionalLong start = id.writeStartMillis();
        return start.isPresent()
                && start.getAsLong() - CLOCK_SKEW_MILLIS > snapshot.timestampMillis();
    }

    @Nullable
    private static Snapshot parent(Table table, Snapshot snapshot) {
        Long parentId = snapshot.parentId();
        return parentId == null ? null : table.snapshot(parentId);
    }

    /** Whether any of the files is a live data or delete file of the snapshot. */
    private static boolean anyLive(Table table, Snapshot snapshot, Set<String> files) {
        if (files.isEmpty()) {
            return false;
        }
        try {
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                try (ManifestReader<? extends ContentFile<?>> reader =
                        manifest.content() == ManifestContent.DATA
                                ? ManifestFiles.read(manifest, table.io(), table.specs())
                                : ManifestFiles.readDeleteManifest(
                                        manifest, table.io(), table.specs())) {
                    for (ContentFile<?> file : reader) {
                        if (files.contains(file.location())) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }
}
