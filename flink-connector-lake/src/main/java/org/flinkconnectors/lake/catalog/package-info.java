/**
 * The {@code lake} catalog: {@code CREATE CATALOG c WITH ('type' = 'lake', 'warehouse' = ...)}
 * shows the Iceberg and Delta tables of one warehouse side by side. Delta tables are directories
 * with a {@code _delta_log} at {@code <warehouse>/<database>/<table>}; Iceberg tables are those of
 * the Iceberg catalog {@code 'catalog-type'} names: a Hadoop catalog on the warehouse (default), or
 * a JDBC or REST catalog at {@code 'uri'}. The tables the catalog returns carry complete options of
 * the {@code lake} connector and the tables' own properties; catalog secrets stay out of them and
 * reach the tables through the catalog's table factory.
 */
package org.flinkconnectors.lake.catalog;
