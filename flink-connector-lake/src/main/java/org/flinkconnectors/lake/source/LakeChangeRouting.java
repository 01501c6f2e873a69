package org.flinkconnectors.lake.source;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Which reader reads which changes of a changelog read. The changes of one row must reach the
 * downstream operators in commit order, deletes of a version before its inserts; readers run in
 * parallel and their outputs interleave, so the changes of a row must all come from one reader.
 */
@PublicEvolving
public enum LakeChangeRouting {
    /**
     * One reader reads all changes, in commit order. Always correct; reads no faster than one
     * subtask.
     */
    ONE_READER,
    /**
     * The changes of one partition go to one reader, in commit order; partitions are read in
     * parallel. Correct only if a row never moves between partitions, i.e. the key includes the
     * partition columns (as Flink's upsert writers require), or the table is unpartitioned.
     */
    BY_PARTITION
}
