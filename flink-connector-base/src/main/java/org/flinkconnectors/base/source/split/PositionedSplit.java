package org.flinkconnectors.base.source.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A split that knows how far it was read: a position a reader resumes from, in the split's own unit
 * (rows into a file, an absolute row number of a partition). A reader checkpoints the split at the
 * position after the last element it emitted.
 */
@Internal
public interface PositionedSplit<SplitT extends PositionedSplit<SplitT>> extends SourceSplit {

    /** Where a reader of this split starts. */
    long position();

    /** The same split, to be resumed at {@code position}. */
    SplitT atPosition(long position);
}
