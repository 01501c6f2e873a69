package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.odps.source.split.OdpsSplit;

import org.apache.flink.annotation.PublicEvolving;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The enumerator's checkpoint: per partition the rows already planned into splits (with the
 * modification time last seen), the planned splits no reader has taken yet, and whether the first
 * discovery happened. Splits already handed out are in the readers' state, so after a restore
 * nothing is planned or read twice and nothing planned is lost.
 */
@PublicEvolving
public final class OdpsEnumState {

    private final Map<String, PartitionProgress> partitions;
    private final List<OdpsSplit> unassignedSplits;
    private final boolean initialDiscoveryFinished;

    public OdpsEnumState(
            Map<String, PartitionProgress> partitions,
            Collection<OdpsSplit> unassignedSplits,
            boolean initialDiscoveryFinished) {
        this.partitions = Collections.unmodifiableMap(new LinkedHashMap<>(partitions));
        this.unassignedSplits = Collections.unmodifiableList(new ArrayList<>(unassignedSplits));
        this.initialDiscoveryFinished = initialDiscoveryFinished;
    }

    /** The state of a source that has not looked at the table yet. */
    public static OdpsEnumState initial() {
        return new OdpsEnumState(Map.of(), List.of(), false);
    }

    /** Progress by partition spec ({@code ""} for an unpartitioned table), in discovery order. */
    public Map<String, PartitionProgress> getPartitions() {
        return partitions;
    }

    public List<OdpsSplit> getUnassignedSplits() {
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
        if (!(o instanceof OdpsEnumState)) {
            return false;
        }
        OdpsEnumState that = (OdpsEnumState) o;
        return initialDiscoveryFinished == that.initialDiscoveryFinished
                && partitions.equals(that.partitions)
                && unassignedSplits.equals(that.unassignedSplits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitions, unassignedSplits, initialDiscoveryFinished);
    }

    @Override
    public String toString() {
        return "OdpsEnumState{partitions="
                + partitions
                + ", unassigned="
                + unassignedSplits
                + ", initialDiscoveryFinished="
                + initialDiscoveryFinished
                + '}';
    }
}
