package org.flinkconnectors.base.source.split;

import org.apache.flink.annotation.Internal;

/**
 * The mutable progress of a {@link PositionedSplit} in a source reader. The emitter advances it
 * after each element, so a checkpoint holds exactly what went downstream and a restore resumes
 * right after it.
 */
@Internal
public final class SplitPosition<SplitT extends PositionedSplit<SplitT>> {

    private final SplitT split;
    private long position;

    public SplitPosition(SplitT split) {
        this.split = split;
        this.position = split.position();
    }

    public long position() {
        return position;
    }

    public void advanceTo(long position) {
        this.position = position;
    }

    /** The split as it must be checkpointed. */
    public SplitT toSplit() {
        return split.atPosition(position);
    }
}
