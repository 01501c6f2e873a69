package org.flinkconnectors.lake.catalog;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of {@code CREATE CATALOG c WITH ('type' = 'lake', ...)}. */
@PublicEvolving
public final class LakeCatalogOptions {

    /** The catalog's {@code type}. */
    public static final String IDENTIFIER = "lake";

    private LakeCatalogOptions() {}

    public static final ConfigOption<String> WAREHOUSE =
            ConfigOptions.key("warehouse")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The warehouse directory or URI, required with every"
                                    + " 'catalog-type': databases are its directories (and the"
                                    + " namespaces of a 'jdbc' or 'rest' Iceberg catalog), Delta"
                                    + " tables live at <warehouse>/<database>/<table>, and so do"
                                    + " the Iceberg tables of a 'hadoop' or 'jdbc' catalog; a"
                                    + " 'rest' catalog gets it as its warehouse.");

    public static final ConfigOption<String> DEFAULT_DATABASE =
            ConfigOptions.key("default-database")
                    .stringType()
                    .defaultValue("default")
                    .withDescription("The database the catalog starts in.");

    /** Option of CREATE TABLE in the catalog: the format of the new table. */
    public static final ConfigOption<String> TABLE_FORMAT =
            ConfigOptions.key("table-format")
                    .stringType()
                    .defaultValue("iceberg")
                    .withDescription(
                            "CREATE TABLE only: the new table's format, 'iceberg' or 'delta'.");
}
