package org.flinkconnectors.base.testutils;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pass-through map for failover tests: throws once per {@link #reset()}, after a checkpoint
 * completed and some records went through, and counts task starts (restarts). The counters are
 * static because the function runs in the MiniCluster of the same JVM.
 */
public final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T>
        implements CheckpointListener {

    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicInteger TASK_STARTS = new AtomicInteger();

    private final boolean enabled;
    private final int recordsBeforeFailure;
    private boolean checkpointCompleted;
    private int seen;

    public FailOnceAfterCheckpoint(boolean enabled, int recordsBeforeFailure) {
        this.enabled = enabled;
        this.recordsBeforeFailure = recordsBeforeFailure;
    }

    /** Arms the next failure and clears the start counter. */
    public static void reset() {
        FAILED.set(false);
        TASK_STARTS.set(0);
    }

    public static boolean failed() {
        return FAILED.get();
    }

    public static int taskStarts() {
        return TASK_STARTS.get();
    }

    @Override
    public void open(OpenContext openContext) {
        TASK_STARTS.incrementAndGet();
    }

    @Override
    public T map(T value) {
        seen++;
        if (enabled
                && checkpointCompleted
                && seen > recordsBeforeFailure
                && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("Injected failure between checkpoints");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointCompleted = true;
    }
}
