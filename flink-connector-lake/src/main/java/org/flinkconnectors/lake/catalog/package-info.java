/**
 * The {@code lake} catalog: {@code CREATE CATALOG c WITH ('type' = 'lake', 'warehouse' = ...)}
 * shows the tables of every registered {@link org.flinkconnectors.lake.core.LakeFormat} in one
 * warehouse side by side, each format through its {@link
 * org.flinkconnectors.lake.core.LakeFormatCatalog}. Delta tables are directories with a {@code
 * _delta_log} at {@code <warehouse>/<database>/<table>}; Iceberg tables are those of the Iceberg
 * catalog {@code 'catalog-type'} names: a Hadoop catalog on the warehouse (default), or a JDBC or
 * REST catalog at {@code 'uri'}. The tables the catalog returns carry complete options of the
 * {@code lake} connector and the tables' own properties; catalog secrets stay out of them and reach
 * the tables through the catalog's table factory.
 */
package org.flinkconnectors.lake.catalog;
