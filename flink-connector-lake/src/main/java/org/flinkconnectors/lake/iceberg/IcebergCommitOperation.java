package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeCommitRetries;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Commits the files of one checkpoint to an Iceberg table as one snapshot, exactly once: an append
 * of data files, or, when an upserting sink also wrote delete files, a row delta adding both. The
 * commit records the {@link LakeCommitId} ({@link IcebergCommits}); before each attempt the table
 * is refreshed and searched for it, so a commit retried after a failover, or after a commit whose
 * outcome was unknown, is skipped instead of appending the files twice.
 *
 * <p>Iceberg itself retries an append that lost a race against another writer; when those retries
 * run out, or the outcome is unknown, the whole operation is retried with backoff a bounded number
 * of times.
 */
@Internal
final class IcebergCommitOperation {

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
        IcebergCommits.Found previous = IcebergCommits.find(table, id, files.locations());
        if (previous != null) {
            LOG.info(
                    "Checkpoint {} of write {} (job {}) is already committed to {} {}; skipping.",
                    id.checkpointId(),
                    id.writeId(),
                    id.jobId(),
                    name,
                    previous.describe());
            return OptionalLong.empty();
        }
        IcebergCommits.commit(
                table,
                id,
                tx -> files.deleteFiles().isEmpty() ? append(tx, files) : rowDelta(tx, files));
        // The table handle now sees the new snapshot; find it by its id, not as the current one,
        // in case another writer committed right after.
        long version = IcebergCommits.find(table, id, List.of()).snapshot().snapshotId();
        LOG.info(
                "Committed {} data and {} delete files of checkpoint {} to {} as snapshot {}.",
                files.dataFiles().size(),
                files.deleteFiles().size(),
                id.checkpointId(),
                name,
                version);
        return OptionalLong.of(version);
    }

    private static AppendFiles append(Transaction tx, IcebergDataFiles.Written files) {
        AppendFiles append = tx.newAppend();
        files.dataFiles().forEach(append::appendFile);
        return append;
    }

    /**
     * Data and delete files in one snapshot, so they share a sequence number: the equality deletes
     * apply to rows of earlier commits only, and the rows this checkpoint replaced in its own files
     * are covered by position deletes, which must still find those files.
     */
    private static RowDelta rowDelta(Transaction tx, IcebergDataFiles.Written files) {
        RowDelta delta = tx.newRowDelta();
        files.dataFiles().forEach(delta::addRows);
        files.deleteFiles().forEach(delta::addDeletes);
        return delta.validateDataFilesExist(files.referenced()).validateDeletedFiles();
    }
}
