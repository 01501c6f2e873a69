package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of {@code 'table-format' = 'iceberg'} tables of the {@code lake} connector. */
@PublicEvolving
public final class IcebergOptions {

    private IcebergOptions() {}

    public static final ConfigOption<String> CATALOG_TYPE =
            ConfigOptions.key("catalog-type")
                    .stringType()
                    .defaultValue(IcebergCatalogConfig.HADOOP)
                    .withDescription(
                            "The catalog that tracks the table: 'hadoop' (a"
                                    + " warehouse directory), 'jdbc' (Iceberg's JDBC catalog at"
                                    + " 'uri'; the JDBC driver must be on the classpath) or"
                                    + " 'rest' (an Iceberg REST catalog at 'uri').");

    public static final ConfigOption<String> URI =
            ConfigOptions.key("uri")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Iceberg 'jdbc' and 'rest' catalogs (required there): the JDBC"
                                    + " URL (e.g. 'jdbc:sqlite:/data/catalog.db') or the REST"
                                    + " endpoint.");

    public static final ConfigOption<String> CATALOG_NAME =
            ConfigOptions.key("catalog-name")
                    .stringType()
                    .defaultValue("lake")
                    .withDescription(
                            "The catalog's name; a JDBC catalog keeps the tables of"
                                    + " each catalog name apart.");

    public static final ConfigOption<String> JDBC_USER =
            ConfigOptions.key("jdbc.user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Iceberg 'jdbc' catalogs: the database user.");

    public static final ConfigOption<String> JDBC_PASSWORD =
            ConfigOptions.key("jdbc.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Iceberg 'jdbc' catalogs: the database password (never printed).");

    public static final ConfigOption<String> CREDENTIAL =
            ConfigOptions.key("credential")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Iceberg 'rest' catalogs: an OAuth2 client credential"
                                    + " '<client-id>:<secret>' (never printed).");

    public static final ConfigOption<String> TOKEN =
            ConfigOptions.key("token")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Iceberg 'rest' catalogs: a bearer token (never printed).");

    public static final ConfigOption<String> WAREHOUSE =
            ConfigOptions.key("warehouse")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The warehouse directory or URI of a 'hadoop' or 'jdbc'"
                                    + " catalog (optional for 'rest'); tables live at"
                                    + " <warehouse>/<database>/<table>.");

    public static final ConfigOption<String> DATABASE =
            ConfigOptions.key("database")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("catalog-database")
                    .withDescription(
                            "The table's database (namespace); default: the Flink table's database.");

    public static final ConfigOption<String> TABLE =
            ConfigOptions.key("table")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("catalog-table")
                    .withDescription(
                            "The table's name in its database; default: the Flink table's name.");

    public static final ConfigOption<Long> SCAN_SNAPSHOT_ID =
            ConfigOptions.key("scan.snapshot-id")
                    .longType()
                    .noDefaultValue()
                    .withDeprecatedKeys("snapshot-id")
                    .withDescription("Read this snapshot instead of the current.");

    public static final ConfigOption<String> SCAN_TAG =
            ConfigOptions.key("scan.tag")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("tag")
                    .withDescription("Read the snapshot this tag points at.");

    public static final ConfigOption<String> SCAN_BRANCH =
            ConfigOptions.key("scan.branch")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("branch")
                    .withDescription("Read the head of this branch.");

    public static final ConfigOption<Long> SCAN_STARTUP_SNAPSHOT_ID =
            ConfigOptions.key("scan.startup.snapshot-id")
                    .longType()
                    .noDefaultValue()
                    .withDeprecatedKeys("start-snapshot-id")
                    .withDescription(
                            "For 'from-snapshot': the first snapshot whose"
                                    + " appended rows are read.");

    public static final ConfigOption<Long> SCAN_END_SNAPSHOT_ID =
            ConfigOptions.key("scan.end-snapshot-id")
                    .longType()
                    .noDefaultValue()
                    .withDeprecatedKeys("end-snapshot-id")
                    .withDescription(
                            "Streaming modes that start at a snapshot or a time: the last"
                                    + " snapshot read; the read then ends (bounded), e.g. the"
                                    + " changes between two snapshots with 'scan.changelog'.");
}
