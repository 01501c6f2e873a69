package org.flinkconnectors.lake.sink;

import org.apache.flink.annotation.PublicEvolving;

/**
 * How a {@link LakeSink} distributes rows to its writers. A sink with a {@link
 * LakeSinkBuilder#primaryKey primary key} always keys rows by the key (which contains the partition
 * columns), whatever the mode.
 */
@PublicEvolving
public enum LakeDistributionMode {
    /**
     * Rows stay on the subtask they come from: every writer may write a file for every partition.
     */
    NONE,
    /**
     * Rows are keyed by their partition (after Iceberg transforms) before the writers, so each
     * partition is written by one writer: fewer, larger files, at the cost of a shuffle and of skew
     * when partitions differ in size. An unpartitioned table is written as with {@link #NONE}.
     */
    HASH
}
