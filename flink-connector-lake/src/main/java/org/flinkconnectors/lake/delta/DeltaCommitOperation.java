package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeCommitRetries;
import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.utils.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Commits the files of one checkpoint to a Delta table as one version, exactly once, through
 * Delta's transaction identifiers: the version carries a {@code txn} action with the commit id's
 * app id and the checkpoint id as its version. Before each attempt the latest snapshot is loaded
 * and its last txn version for the app id read; if it is this checkpoint or a later one, nothing is
 * committed. Kernel reports a txn that won the race meanwhile as a {@link
 * ConcurrentTransactionException}, also treated as already committed.
 *
 * <p>Kernel retries appends that lost a race against other writers itself; when those retries run
 * out the whole operation is retried, with a fresh transaction, a bounded number of times.
 */
@Internal
final class DeltaCommitOperation {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaCommitOperation.class);

    private DeltaCommitOperation() {}

    static OptionalLong commit(
            Engine engine, String path, String name, List<LakeWriteResult> results, LakeCommitId id)
            throws IOException {
        return commit(engine, path, name, results, id, null);
    }

    /**
     * As {@link #commit(Engine, String, String, List, LakeCommitId)}; with an overwrite the version
     * also removes the files it replaces, found on the snapshot each attempt commits on.
     */
    static OptionalLong commit(
            Engine engine,
            String path,
            String name,
            List<LakeWriteResult> results,
            LakeCommitId id,
            @Nullable LakeOverwrite overwrite)
            throws IOException {
        List<Row> actions = new ArrayList<>();
        for (LakeWriteResult result : results) {
            actions.addAll(DeltaAddFiles.decode(result.files()));
        }
        if (actions.isEmpty() && overwrite == null) {
            return OptionalLong.empty();
        }
        return LakeCommitRetries.call(
                "commit",
                id,
                name,
                e ->
                        e instanceof ConcurrentWriteException
                                && !(e instanceof ConcurrentTransactionException),
                () -> commitOnce(engine, path, name, actions, id, overwrite));
    }

    private static OptionalLong commitOnce(
            Engine engine,
            String path,
            String name,
            List<Row> adds,
            LakeCommitId id,
            @Nullable LakeOverwrite overwrite) {
        Snapshot latest = TableManager.loadSnapshot(path).build(engine);
        Optional<Long> applied = latest.getLatestTransactionVersion(engine, id.appId());
        if (applied.isPresent() && applied.get() >= id.checkpointId()) {
            LOG.info(
                    "Checkpoint {} of write {} (job {}) is already committed to {} (txn version {});"
                            + " skipping.",
                    id.checkpointId(),
                    id.writeId(),
                    id.jobId(),
                    name,
                    applied.get());
            return OptionalLong.empty();
        }
        List<Row> actions = adds;
        if (overwrite != null) {
            if (adds.isEmpty() && !DeltaOverwriteActions.replacesWithoutFiles(latest, overwrite)) {
                return OptionalLong.empty(); // a dynamic overwrite that wrote no partition
            }
            actions = new ArrayList<>(adds);
            actions.addAll(DeltaOverwriteActions.removes(engine, latest, adds, overwrite));
        }
        TransactionCommitResult result;
        try {
            result =
                    latest.buildUpdateTableTransaction(
                                    DeltaWriterFactory.ENGINE_INFO, Operation.WRITE)
                            .withTransactionId(id.appId(), id.checkpointId())
                            .build(engine)
                            .commit(engine, CloseableIterable.inMemoryIterable(actionsOf(actions)));
        } catch (ConcurrentTransactionException e) {
            LOG.info(
                    "Checkpoint {} of write {} was committed to {} concurrently; skipping.",
                    id.checkpointId(),
                    id.writeId(),
                    name);
            return OptionalLong.empty();
        }
        LOG.info(
                "Committed {} actions of checkpoint {} to {} as version {}.",
                actions.size(),
                id.checkpointId(),
                name,
                result.getVersion());
        runHooks(engine, name, result);
        return OptionalLong.of(result.getVersion());
    }

    private static io.delta.kernel.utils.CloseableIterator<Row> actionsOf(List<Row> actions) {
        return io.delta.kernel.internal.util.Utils.toCloseableIterator(actions.iterator());
    }

    /** Checkpoints and checksums keep later log replays short; failing them loses nothing. */
    private static void runHooks(Engine engine, String name, TransactionCommitResult result) {
        for (PostCommitHook hook : result.getPostCommitHooks()) {
            try {
                hook.threadSafeInvoke(engine);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Post-commit hook {} of {} failed.", hook.getType(), name, e);
            }
        }
    }
}
