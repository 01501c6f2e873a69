package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeSplit;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The enumerator's checkpoint: the last table version whose files were planned (the cursor a
 * streaming scan continues from; null before the first plan) and the planned splits no reader has
 * taken yet.
 */
@Internal
public final class LakeEnumState {

    @Nullable private final Long lastPlannedVersion;
    private final List<LakeSplit> unassignedSplits;

    public LakeEnumState(@Nullable Long lastPlannedVersion, Collection<LakeSplit> unassigned) {
        this.lastPlannedVersion = lastPlannedVersion;
        this.unassignedSplits = List.copyOf(unassigned);
    }

    public static LakeEnumState initial() {
        return new LakeEnumState(null, List.of());
    }

    @Nullable
    public Long lastPlannedVersion() {
        return lastPlannedVersion;
    }

    public List<LakeSplit> unassignedSplits() {
        return unassignedSplits;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LakeEnumState)) {
            return false;
        }
        LakeEnumState that = (LakeEnumState) o;
        return Objects.equals(lastPlannedVersion, that.lastPlannedVersion)
                && unassignedSplits.equals(that.unassignedSplits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastPlannedVersion, unassignedSplits);
    }

    @Override
    public String toString() {
        return "LakeEnumState{lastPlannedVersion="
                + lastPlannedVersion
                + ", unassigned="
                + unassignedSplits.size()
                + '}';
    }
}
