package org.flinkconnectors.odps.source.split;

import org.apache.flink.annotation.Internal;

/**
 * The mutable progress of an {@link OdpsSplit} inside a source reader. The emitter advances it
 * after every emitted element, so a checkpoint records exactly the rows handed downstream and a
 * restore continues with the next one.
 */
@Internal
public final class OdpsSplitState {

    private final OdpsSplit split;
    private long nextRow;

    public OdpsSplitState(OdpsSplit split) {
        this.split = split;
        this.nextRow = split.getNextRow();
    }

    public OdpsSplit getSplit() {
        return split;
    }

    /** The absolute row number of the next row to emit. */
    public long getNextRow() {
        return nextRow;
    }

    public void setNextRow(long nextRow) {
        this.nextRow = nextRow;
    }

    /** The split as it must be checkpointed. */
    public OdpsSplit toSplit() {
        return split.withRowsRead(nextRow - split.getStartRow());
    }
}
