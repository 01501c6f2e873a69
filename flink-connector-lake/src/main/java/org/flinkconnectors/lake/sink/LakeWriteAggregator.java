package org.flinkconnectors.lake.sink;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeStaticResources;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.checkpoint.CheckpointIDCounter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The single (parallelism 1) operator between the writers and the committer: collects the write
 * results of all writers for a checkpoint and, before the checkpoint's barrier leaves it, emits
 * them as one {@link LakeCommittable}, so one table version is committed per checkpoint.
 *
 * <p>Results arrive before the barrier of their checkpoint (writers emit them before forwarding
 * it), so the collected list is empty whenever state is taken and needs no state of its own. The
 * emitted messages claim to come from subtask 0 of 1, which is what the committer then waits for.
 *
 * <p>Every start of this operator draws a new {@link LakeCommitId#writeId() write id} for the
 * committables it creates, so no commit of this attempt can be mistaken for one of an earlier run
 * that had the same job id and checkpoint ids (see {@link LakeCommitId}).
 */
@Internal
final class LakeWriteAggregator extends AbstractStreamOperator<CommittableMessage<LakeCommittable>>
        implements OneInputStreamOperator<
                CommittableMessage<LakeWriteResult>, CommittableMessage<LakeCommittable>> {

    private final List<LakeWriteResult> collected = new ArrayList<>();
    private final boolean overwrite;
    private boolean finished;
    private String writeId;
    private long lastCheckpointId = CheckpointIDCounter.INITIAL_CHECKPOINT_ID - 1;

    /**
     * @param overwrite whether the sink overwrites: it then commits once, at the end of input, even
     *     without files (it may replace rows with nothing), and fails on an earlier checkpoint,
     *     whose commit would be replaced by the next one
     */
    LakeWriteAggregator(boolean overwrite) {
        this.overwrite = overwrite;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        LakeStaticResources.releaseWith(
                getContainingTask().getEnvironment().getUserCodeClassLoader());
        writeId = LakeCommitId.newWriteId();
        context.getRestoredCheckpointId().ifPresent(id -> lastCheckpointId = id);
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<LakeWriteResult>> element) {
        if (element.getValue() instanceof CommittableWithLineage<LakeWriteResult> result) {
            collected.add(result.getCommittable());
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (overwrite && !finished) {
            throw new IllegalStateException(
                    "An overwriting lake sink commits once, at the end of a bounded job, but"
                            + " checkpoint "
                            + checkpointId
                            + " came before the end of input: run the job in batch mode.");
        }
        emit(checkpointId, false);
    }

    @Override
    public void finish() throws Exception {
        // The writers' last results (end of input) carry the next checkpoint id; so do these.
        finished = true;
        emit(lastCheckpointId + 1, overwrite);
        super.finish();
    }

    private void emit(long checkpointId, boolean evenIfEmpty) {
        if (checkpointId <= lastCheckpointId && collected.isEmpty()) {
            return; // the final checkpoint after finish(): already emitted
        }
        lastCheckpointId = Math.max(lastCheckpointId, checkpointId);
        if (collected.isEmpty() && !evenIfEmpty) {
            return;
        }
        LakeCommitId id =
                new LakeCommitId(
                        writeId,
                        getRuntimeContext().getJobInfo().getJobId().toString(),
                        getRuntimeContext().getOperatorUniqueID(),
                        checkpointId);
        LakeCommittable committable = new LakeCommittable(id, collected);
        collected.clear();
        output.collect(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpointId, 1, 0)));
        output.collect(
                new StreamRecord<>(new CommittableWithLineage<>(committable, checkpointId, 0)));
    }
}
