package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeSplit;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The enumerator's checkpoint: whether the scan was planned, the table version that was planned
 * (null if the table had no version), and the planned splits no reader has taken yet.
 *
 * <p>For a streaming read the same fields are its cursor: whether it resolved its starting
 * position, the last version whose splits it enumerated (null: none yet, the whole history is still
 * to be read), and the enumerated splits no reader has taken yet. Restoring a bounded read's
 * checkpoint into a streaming read therefore continues after the version it read.
 */
@Internal
public final class LakeEnumState {

    private final boolean planned;
    @Nullable private final Long plannedVersion;
    private final List<LakeSplit> unassignedSplits;

    public LakeEnumState(
            boolean planned, @Nullable Long plannedVersion, Collection<LakeSplit> unassigned) {
        if (!planned && (plannedVersion != null || !unassigned.isEmpty())) {
            throw new IllegalArgumentException("An unplanned scan has no version and no splits.");
        }
        this.planned = planned;
        this.plannedVersion = plannedVersion;
        this.unassignedSplits = List.copyOf(unassigned);
    }

    public static LakeEnumState initial() {
        return new LakeEnumState(false, null, List.of());
    }

    public boolean planned() {
        return planned;
    }

    @Nullable
    public Long plannedVersion() {
        return plannedVersion;
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
        return planned == that.planned
                && Objects.equals(plannedVersion, that.plannedVersion)
                && unassignedSplits.equals(that.unassignedSplits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(planned, plannedVersion, unassignedSplits);
    }

    @Override
    public String toString() {
        return "LakeEnumState{planned="
                + planned
                + ", version="
                + plannedVersion
                + ", unassigned="
                + unassignedSplits.size()
                + '}';
    }
}
