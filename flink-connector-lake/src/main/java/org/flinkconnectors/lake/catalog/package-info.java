/**
 * The {@code lake} catalog: {@code CREATE CATALOG c WITH ('type' = 'lake', 'warehouse' = ...)}
 * shows the Iceberg and Delta tables of one warehouse directory side by side. Databases are
 * directories of the warehouse; an Iceberg table is a Hadoop-catalog table ({@code
 * <db>/<table>/metadata}), a Delta table a directory with a {@code _delta_log}. The tables the
 * catalog returns carry complete options of the {@code lake} connector, so reading them needs
 * nothing else.
 */
package org.flinkconnectors.lake.catalog;
