/**
 * Type mapping between Flink and MaxCompute (ODPS): the canonical type mapping, the compatibility
 * check run against a table's schema, and the converters between MaxCompute {@code Record}s and
 * Flink {@code RowData} used by the source, the sink and lookup.
 */
package org.flinkconnectors.odps.types;
