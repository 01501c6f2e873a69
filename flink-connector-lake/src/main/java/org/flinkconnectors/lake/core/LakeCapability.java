package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

/**
 * What the tables of a {@link LakeFormat} can do, checked when a job is planned and without I/O.
 * Facts about one table (its format version, its partitioning) are checked by the table itself.
 */
@PublicEvolving
public enum LakeCapability {
    /**
     * Later commits can be listed and their appended rows streamed ({@link
     * LakeTable#commitsAfter}).
     */
    STREAMING,
    /** Rows can be appended ({@link LakeTable#createWriterFactory}). */
    APPEND,
    /** Writes can replace a partition or the table ({@link LakeTable#commitOverwrite}). */
    OVERWRITE,
    /** Writes can upsert by a key ({@link LakeTable#createUpsertWriterFactory}). */
    UPSERT,
    /**
     * Streaming reads can emit every row a commit deleted or inserted, not only appends ({@link
     * LakeScanSpec#changelog()}).
     */
    CHANGELOG,
    /**
     * Lookup joins can read the table: whole versions, the files later commits add, and files
     * pruned by a key ({@link LakeTable#planSplits}, {@link LakeTable#planIncrement}).
     */
    LOOKUP
}
