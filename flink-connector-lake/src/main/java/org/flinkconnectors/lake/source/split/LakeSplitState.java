package org.flinkconnectors.lake.source.split;

import org.flinkconnectors.lake.core.LakeSplit;

import org.apache.flink.annotation.Internal;

/**
 * The mutable progress of a {@link LakeSplit} in a source reader: the records of the split emitted
 * so far. The emitter advances it after each record, so a checkpoint holds exactly what went
 * downstream and a restore skips exactly that.
 */
@Internal
public final class LakeSplitState {

    private final LakeSplit split;
    private long recordsEmitted;

    public LakeSplitState(LakeSplit split) {
        this.split = split;
        this.recordsEmitted = split.recordsToSkip();
    }

    public long recordsEmitted() {
        return recordsEmitted;
    }

    public void setRecordsEmitted(long recordsEmitted) {
        this.recordsEmitted = recordsEmitted;
    }

    /** The split as it must be checkpointed. */
    public LakeSplit toSplit() {
        return split.withRecordsToSkip(recordsEmitted);
    }
}
