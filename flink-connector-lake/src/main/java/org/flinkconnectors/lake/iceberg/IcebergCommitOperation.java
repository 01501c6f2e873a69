package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeCommitRetries;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Commits the files of one checkpoint to an Iceberg table as one snapshot, exactly once: an append
 * of data files, or, when an upserting sink also wrote delete files, a row delta adding both. The
 * snapshot's summary records the {@link LakeCommitId}; before each attempt the table is refreshed
 * and its history searched for it, so a commit retried after a failover, or after a commit whose
 * outcome was unknown, is skipped instead of appending the files twice.
 *
 * <p>Iceberg itself retries an append that lost a race against another writer; when those retries
 * run out, or the outcome is unknown, the whole operation is retried with backoff a bounded number
 * of times.
 */
@Internal
final class IcebergCommitOperation {

    static final String JOB_ID = "flink-connector-suite.job-id";
    static final String OPERATOR_ID = "flink-connector-suite.operator-id";
    static final String CHECKPOINT_ID = "flink-connector-suite.checkpoint-id";

    private static final Logger LOG = LoggerFactory.getLogger(IcebergCommitOperation.class);

    /** Lost races with other writers, which a new attempt on the refreshed table may win. */
    static final Predicate<Throwable> RETRYABLE =
            e -> e instanceof CommitFailedException || e instanceof CommitStateUnknownException;

    private IcebergCommitOperation() {}

    static OptionalLong commit(
            Table table, String name, List<LakeWriteResult> results, LakeCommitId id)
            throws IOException {
        List<DataFile> dataFiles = new ArrayList<>();
        List<DeleteFile> deleteFiles = new ArrayList<>();
        List<String> referenced = new ArrayList<>();
        for (LakeWriteResult result : results) {
            IcebergDataFiles.Written written =
                    IcebergDataFiles.decodeAll(result.files(), table.specs());
            dataFiles.addAll(written.dataFiles());
            deleteFiles.addAll(written.deleteFiles());
            referenced.addAll(written.referenced());
        }
        if (dataFiles.isEmpty() && deleteFiles.isEmpty()) {
            return OptionalLong.empty();
        }
        IcebergDataFiles.Written files =
                new IcebergDataFiles.Written(dataFiles, deleteFiles, referenced);
        return LakeCommitRetries.call(
                "commit", id, name, RETRYABLE, () -> commitOnce(table, name, files, id));
    }

    private static OptionalLong commitOnce(
            Table table, String name, IcebergDataFiles.Written files, LakeCommitId id) {
        table.refresh();
        Snapshot previous = findCommitted(table, id);
        if (previous != null) {
            LOG.info(
                    "Checkpoint {} of job {} is already committed to {} (snapshot {}); skipping.",
                    id.checkpointId(),
                    id.jobId(),
                    name,
                    previous.snapshotId());
            return OptionalLong.empty();
        }
        SnapshotUpdate<?> update =
                files.deleteFiles().isEmpty() ? append(table, files) : rowDelta(table, files);
        update.set(JOB_ID, id.jobId());
        update.set(OPERATOR_ID, id.operatorId());
        update.set(CHECKPOINT_ID, Long.toString(id.checkpointId()));
        update.commit();
        // The table handle now sees the new snapshot; find it by its id, not as the current one,
        // in case another writer committed right after.
        long version = findCommitted(table, id).snapshotId();
        LOG.info(
                "Committed {} data and {} delete files of checkpoint {} to {} as snapshot {}.",
                files.dataFiles().size(),
                files.deleteFiles().size(),
                id.checkpointId(),
                name,
                version);
        return OptionalLong.of(version);
    }

    private static AppendFiles append(Table table, IcebergDataFiles.Written files) {
        AppendFiles append = table.newAppend();
        files.dataFiles().forEach(append::appendFile);
        return append;
    }

    /**
     * Data and delete files in one snapshot, so they share a sequence number: the equality deletes
     * apply to rows of earlier commits only, and the rows this checkpoint replaced in its own files
     * are covered by position deletes, which must still find those files.
     */
    private static RowDelta rowDelta(Table table, IcebergDataFiles.Written files) {
        RowDelta delta = table.newRowDelta();
        files.dataFiles().forEach(delta::addRows);
        files.deleteFiles().forEach(delta::addDeletes);
        return delta.validateDataFilesExist(files.referenced()).validateDeletedFiles();
    }

    /**
     * The newest snapshot of the main branch written by the id's job and operator, if it committed
     * this checkpoint or a later one. Checkpoint ids of one job only grow, so the search stops at
     * the first snapshot of that job and operator.
     */
    static Snapshot findCommitted(Table table, LakeCommitId id) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return null;
        }
        for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            Map<String, String> summary = snapshot.summary();
            if (id.jobId().equals(summary.get(JOB_ID))
                    && id.operatorId().equals(summary.get(OPERATOR_ID))) {
                String checkpoint = summary.get(CHECKPOINT_ID);
                return checkpoint != null && Long.parseLong(checkpoint) >= id.checkpointId()
                        ? snapshot
                        : null;
            }
        }
        return null;
    }
}
