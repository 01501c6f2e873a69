package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.partition.PartitionPredicate;
import org.flinkconnectors.odps.partition.PartitionSpecPattern;
import org.flinkconnectors.odps.source.PartitionSelector;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.PartitionSpec;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * The partitions a SQL scan reads: those the {@code 'partition'} option names (wildcards, {@code
 * max_pt()}), narrowed by the filters on partition columns Flink pushed down. Both are applied
 * before any download session is opened.
 */
@Internal
final class TablePartitionSelector implements PartitionSelector {

    private static final long serialVersionUID = 1L;

    @Nullable private final PartitionSpecPattern pattern;
    @Nullable private final PartitionPredicate predicate;
    private final List<String> partitionKeys;
    private final int maxPartitions;
    private final boolean requireNamedPartition;

    TablePartitionSelector(
            @Nullable PartitionSpecPattern pattern,
            @Nullable PartitionPredicate predicate,
            List<String> partitionKeys,
            int maxPartitions,
            boolean requireNamedPartition) {
        this.pattern = pattern;
        this.predicate = predicate;
        this.partitionKeys = List.copyOf(partitionKeys);
        this.maxPartitions = maxPartitions;
        this.requireNamedPartition = requireNamedPartition;
    }

    @Override
    public List<String> select(List<String> partitionSpecs) {
        List<String> candidates =
                pattern == null ? partitionSpecs : pattern.select(partitionSpecs, partitionKeys);
        if (requireNamedPartition
                && pattern != null
                && pattern.isStatic()
                && candidates.isEmpty()) {
            // A typo or a partition not produced yet: reading nothing would hide it.
            throw new IllegalStateException(
                    "Partition "
                            + pattern
                            + " named by option 'partition' does not exist (the table has "
                            + partitionSpecs.size()
                            + " partitions).");
        }
        List<String> selected = new ArrayList<>();
        for (String spec : candidates) {
            if (predicate == null || predicate.test(new PartitionSpec(spec))) {
                selected.add(spec);
            }
        }
        if (maxPartitions > 0 && selected.size() > maxPartitions) {
            throw new IllegalStateException(
                    "The scan selects "
                            + selected.size()
                            + " partitions, more than 'scan.max-partitions' = "
                            + maxPartitions
                            + ". Narrow it with 'partition' or a WHERE clause on the partition"
                            + " columns, or raise the limit.");
        }
        return selected;
    }

    @Override
    public String toString() {
        return (pattern == null ? "" : "partition=" + pattern)
                + (pattern != null && predicate != null ? ", " : "")
                + (predicate == null ? "" : "where " + predicate);
    }
}
