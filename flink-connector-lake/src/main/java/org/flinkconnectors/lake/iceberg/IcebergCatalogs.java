package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.base.options.ConnectorOptionUtils;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.flinkconnectors.lake.iceberg.IcebergOptions.CATALOG_NAME;
import static org.flinkconnectors.lake.iceberg.IcebergOptions.CATALOG_TYPE;
import static org.flinkconnectors.lake.iceberg.IcebergOptions.CREDENTIAL;
import static org.flinkconnectors.lake.iceberg.IcebergOptions.JDBC_PASSWORD;
import static org.flinkconnectors.lake.iceberg.IcebergOptions.JDBC_USER;
import static org.flinkconnectors.lake.iceberg.IcebergOptions.TOKEN;
import static org.flinkconnectors.lake.iceberg.IcebergOptions.URI;
import static org.flinkconnectors.lake.iceberg.IcebergOptions.WAREHOUSE;

/**
 * The Iceberg catalog that the options of a {@code lake} table or {@code lake} catalog name: the
 * {@code catalog-type} and the options that type needs. Shared by the table factory and the catalog
 * factory, so both accept and reject the same things.
 */
@Internal
public final class IcebergCatalogs {

    /** The catalog options; {@link #SECRETS} among them are never put into described tables. */
    public static final List<ConfigOption<String>> OPTIONS =
            List.of(CATALOG_TYPE, CATALOG_NAME, URI, JDBC_USER, JDBC_PASSWORD, CREDENTIAL, TOKEN);

    public static final List<ConfigOption<String>> SECRETS =
            List.of(JDBC_PASSWORD, CREDENTIAL, TOKEN);

    private static final List<ConfigOption<String>> JDBC_ONLY = List.of(JDBC_USER, JDBC_PASSWORD);
    private static final List<ConfigOption<String>> REST_ONLY = List.of(CREDENTIAL, TOKEN);

    private IcebergCatalogs() {}

    /**
     * The catalog the options name. {@code hadoop} needs {@code warehouse}; {@code jdbc} needs
     * {@code uri} and {@code warehouse}; {@code rest} needs {@code uri}.
     */
    public static IcebergCatalogConfig fromOptions(
            ReadableConfig options, Map<String, String> hadoopProperties) {
        String type = options.get(CATALOG_TYPE).toLowerCase(Locale.ROOT);
        if (!IcebergCatalogConfig.TYPES.contains(type)) {
            throw ConnectorOptionUtils.invalidValue(
                    CATALOG_TYPE,
                    options.get(CATALOG_TYPE),
                    new TreeSet<>(IcebergCatalogConfig.TYPES));
        }
        rejectUnless(options, type, IcebergCatalogConfig.JDBC, JDBC_ONLY);
        rejectUnless(options, type, IcebergCatalogConfig.REST, REST_ONLY);
        IcebergCatalogConfig catalog;
        switch (type) {
            case IcebergCatalogConfig.HADOOP:
                if (options.getOptional(URI).isPresent()) {
                    throw notFor(URI, type);
                }
                catalog = IcebergCatalogConfig.hadoop(required(options, WAREHOUSE, type));
                break;
            case IcebergCatalogConfig.JDBC:
                catalog =
                        IcebergCatalogConfig.jdbc(
                                required(options, URI, type), required(options, WAREHOUSE, type));
                catalog = with(catalog, options, JDBC_USER);
                catalog = with(catalog, options, JDBC_PASSWORD);
                break;
            default:
                catalog = IcebergCatalogConfig.rest(required(options, URI, type));
                catalog = with(catalog, options, WAREHOUSE);
                catalog = with(catalog, options, CREDENTIAL);
                catalog = with(catalog, options, TOKEN);
        }
        return catalog.withName(options.get(CATALOG_NAME)).withHadoopProperties(hadoopProperties);
    }

    private static IcebergCatalogConfig with(
            IcebergCatalogConfig catalog, ReadableConfig options, ConfigOption<String> option) {
        // The connector's option keys are Iceberg's catalog property names.
        return options.getOptional(option)
                .map(value -> catalog.withProperty(option.key(), value))
                .orElse(catalog);
    }

    private static String required(
            ReadableConfig options, ConfigOption<String> option, String type) {
        return options.getOptional(option)
                .orElseThrow(() -> ConnectorOptionUtils.requiredWhen(option, CATALOG_TYPE, type));
    }

    private static void rejectUnless(
            ReadableConfig options, String type, String owner, List<ConfigOption<String>> owned) {
        if (!type.equals(owner)) {
            for (ConfigOption<String> option : owned) {
                if (options.getOptional(option).isPresent()) {
                    throw notFor(option, type);
                }
            }
        }
    }

    private static ValidationException notFor(ConfigOption<?> option, String type) {
        return new ValidationException(
                String.format(
                        "Option '%s' does not apply to '%s' = '%s'; it is an option of %s.",
                        option.key(),
                        CATALOG_TYPE.key(),
                        type,
                        option == URI
                                ? "'jdbc' and 'rest' catalogs"
                                : JDBC_ONLY.contains(option)
                                        ? "'jdbc' catalogs"
                                        : "'rest' catalogs"));
    }
}
