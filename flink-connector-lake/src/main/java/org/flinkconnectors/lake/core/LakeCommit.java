package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A committed table version as a streaming read sees it in the table's history: its version (an
 * Iceberg snapshot id, a Delta table version) and when it was committed.
 *
 * @param version the version
 * @param timestampMillis the commit time in epoch milliseconds
 */
@PublicEvolving
public record LakeCommit(long version, long timestampMillis) {}
