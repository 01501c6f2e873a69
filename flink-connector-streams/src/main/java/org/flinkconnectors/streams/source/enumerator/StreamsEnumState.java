package org.flinkconnectors.streams.source.enumerator;

import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.flink.annotation.PublicEvolving;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The enumerator's checkpoint: splits already handed to readers (whose progress the readers
 * checkpoint themselves), splits discovered but not yet assigned (with their resolved offsets, so a
 * restore neither skips nor re-reads them), and whether the first discovery has happened, which
 * decides where partitions discovered later start.
 */
@PublicEvolving
public final class StreamsEnumState {

    private final List<StreamsPartitionSplit> assignedSplits;
    private final List<StreamsPartitionSplit> unassignedSplits;
    private final boolean initialDiscoveryFinished;

    public StreamsEnumState(
            Collection<StreamsPartitionSplit> assignedSplits,
            Collection<StreamsPartitionSplit> unassignedSplits,
            boolean initialDiscoveryFinished) {
        this.assignedSplits = Collections.unmodifiableList(new ArrayList<>(assignedSplits));
        this.unassignedSplits = Collections.unmodifiableList(new ArrayList<>(unassignedSplits));
        this.initialDiscoveryFinished = initialDiscoveryFinished;
    }

    /** The state of a source that has not discovered anything yet. */
    public static StreamsEnumState initial() {
        return new StreamsEnumState(List.of(), List.of(), false);
    }

    public List<StreamsPartitionSplit> getAssignedSplits() {
        return assignedSplits;
    }

    public List<StreamsPartitionSplit> getUnassignedSplits() {
        return unassignedSplits;
    }

    public boolean isInitialDiscoveryFinished() {
        return initialDiscoveryFinished;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StreamsEnumState)) {
            return false;
        }
        StreamsEnumState that = (StreamsEnumState) o;
        return initialDiscoveryFinished == that.initialDiscoveryFinished
                && assignedSplits.equals(that.assignedSplits)
                && unassignedSplits.equals(that.unassignedSplits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(assignedSplits, unassignedSplits, initialDiscoveryFinished);
    }

    @Override
    public String toString() {
        return "StreamsEnumState{assigned="
                + assignedSplits
                + ", unassigned="
                + unassignedSplits
                + ", initialDiscoveryFinished="
                + initialDiscoveryFinished
                + '}';
    }
}
