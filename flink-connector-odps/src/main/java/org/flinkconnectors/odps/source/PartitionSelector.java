package org.flinkconnectors.odps.source;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.List;

/**
 * Chooses the partitions of a partitioned table that the source reads, for example only the
 * partitions of the last days, or those matching a filter pushed down from SQL. Not consulted for
 * unpartitioned tables.
 *
 * <p>An unbounded source asks again at every discovery, so a selector may widen or narrow its
 * choice over time (a partition already read is never read again, a newly selected one is read from
 * its first row). The selector runs in the enumerator and must return a subset of its argument.
 */
@PublicEvolving
@FunctionalInterface
public interface PartitionSelector extends Serializable {

    /**
     * Chooses which of the table's partitions (all specs, ordered) to read; called at start and at
     * every discovery.
     */
    List<String> select(List<String> partitionSpecs);

    /** Reads every partition. */
    static PartitionSelector all() {
        return AllPartitions.INSTANCE;
    }

    /** The selector of {@link #all()}; a named singleton so it prints and compares well. */
    @PublicEvolving
    enum AllPartitions implements PartitionSelector {
        INSTANCE;

        @Override
        public List<String> select(List<String> partitionSpecs) {
            return partitionSpecs;
        }

        @Override
        public String toString() {
            return "PartitionSelector.all()";
        }
    }
}
