package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.deletionvectors.DeletionVectorUtils;
import io.delta.kernel.internal.deletionvectors.RoaringBitmapArray;

import javax.annotation.Nullable;

/**
 * The row positions one deletion vector marks and another does not: what a file removed and added
 * again with a new vector deleted (new minus old) or restored (old minus new). Vectors are loaded
 * with Kernel's own reader (inline, UUID-named or path-named files, checksums checked).
 */
@Internal
final class DeltaDeletionVectorDiff {

    private final RoaringBitmapArray marked;
    private final RoaringBitmapArray unmarked;

    private DeltaDeletionVectorDiff(RoaringBitmapArray marked, RoaringBitmapArray unmarked) {
        this.marked = marked;
        this.unmarked = unmarked;
    }

    /** Loads both vectors of the table at {@code tableRoot}; a null vector marks no row. */
    static DeltaDeletionVectorDiff load(
            Engine engine,
            String tableRoot,
            @Nullable DeletionVectorDescriptor marked,
            @Nullable DeletionVectorDescriptor unmarked) {
        return new DeltaDeletionVectorDiff(
                bitmap(engine, tableRoot, marked), bitmap(engine, tableRoot, unmarked));
    }

    /** Whether the row at this position is marked by the first vector only. */
    boolean contains(long position) {
        return marked.contains(position) && !unmarked.contains(position);
    }

    boolean isEmpty() {
        for (long position : marked.toArray()) {
            if (!unmarked.contains(position)) {
                return false;
            }
        }
        return true;
    }

    private static RoaringBitmapArray bitmap(
            Engine engine, String tableRoot, @Nullable DeletionVectorDescriptor dv) {
        return dv == null
                ? new RoaringBitmapArray()
                : DeletionVectorUtils.loadNewDvAndBitmap(engine, tableRoot, dv)._2;
    }
}
