package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.base.retry.Retrier;
import org.flinkconnectors.base.retry.RetryPolicy;
import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Appends the files of one checkpoint to an Iceberg table as one snapshot, exactly once. The
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

    private static final RetryPolicy RETRIES =
            RetryPolicy.of(5, Duration.ofMillis(100), Duration.ofSeconds(5));

    private IcebergCommitOperation() {}

    static OptionalLong commit(
            Table table, String name, List<LakeWriteResult> results, LakeCommitId id)
            throws IOException {
        List<DataFile> files = new ArrayList<>();
        for (LakeWriteResult result : results) {
            files.addAll(IcebergDataFiles.decode(result.files(), table.specs()));
        }
        if (files.isEmpty()) {
            return OptionalLong.empty();
        }
        Retrier retrier =
                new Retrier(
                        RETRIES,
                        e ->
                                e instanceof CommitFailedException
                                        || e instanceof CommitStateUnknownException);
        try {
            return retrier.call(
                    "commit checkpoint " + id.checkpointId() + " to " + name,
                    () -> commitOnce(table, name, files, id));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not commit checkpoint " + id + " to " + name, e);
        }
    }

    private static OptionalLong commitOnce(
            Table table, String name, List<DataFile> files, LakeCommitId id) {
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
        AppendFiles append = table.newAppend();
        files.forEach(append::appendFile);
        append.set(JOB_ID, id.jobId())
                .set(OPERATOR_ID, id.operatorId())
                .set(CHECKPOINT_ID, Long.toString(id.checkpointId()))
                .commit();
        // The table handle now sees the new snapshot; find it by its id, not as the current one,
        // in case another writer committed right after.
        long version = findCommitted(table, id).snapshotId();
        LOG.info(
                "Committed {} files of checkpoint {} to {} as snapshot {}.",
                files.size(),
                id.checkpointId(),
                name,
                version);
        return OptionalLong.of(version);
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
