/**
 * The {@code odps} catalog: {@code CREATE CATALOG c WITH ('type' = 'odps', ...)} shows the schemas
 * of one MaxCompute project as databases and its tables, partitions and statistics as Flink catalog
 * objects.
 */
package org.flinkconnectors.odps.catalog;
