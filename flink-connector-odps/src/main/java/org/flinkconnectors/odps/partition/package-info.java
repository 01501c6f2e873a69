/**
 * Partition selection: the {@code partition} option's patterns and partition pruning from
 * pushed-down SQL filters.
 */
package org.flinkconnectors.odps.partition;
