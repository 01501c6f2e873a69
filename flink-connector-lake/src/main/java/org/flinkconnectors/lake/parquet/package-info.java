/**
 * Reads Parquet data files of lake tables straight into Flink column vectors with Flink's own
 * vectorized Parquet column readers; the table format says which file column feeds which output
 * column and which rows are deleted.
 */
package org.flinkconnectors.lake.parquet;
