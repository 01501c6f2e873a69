package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.odps.table.OdpsConnectorOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CommonCatalogOptions;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Options of the {@code odps} catalog: the connection options of {@link OdpsConnectorOptions}
 * except {@code schema} (every schema of the project is a database) plus {@link #DEFAULT_DATABASE}.
 */
@PublicEvolving
public final class OdpsCatalogOptions {

    private OdpsCatalogOptions() {}

    /** The catalog type, {@code 'type' = 'odps'}. */
    public static final String IDENTIFIER = "odps";

    /** The database of a project without schemas, and the default schema of one with schemas. */
    public static final String DEFAULT_SCHEMA = "default";

    public static final ConfigOption<String> DEFAULT_DATABASE =
            ConfigOptions.key(CommonCatalogOptions.DEFAULT_DATABASE_KEY)
                    .stringType()
                    .defaultValue(DEFAULT_SCHEMA)
                    .withDescription(
                            "The database a session uses after 'USE CATALOG': a schema of the"
                                    + " project. A project without schemas (two-tier model) has"
                                    + " the single database '"
                                    + DEFAULT_SCHEMA
                                    + "'.");

    public static Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(OdpsConnectorOptions.ENDPOINT);
        options.add(OdpsConnectorOptions.PROJECT);
        return options;
    }

    public static Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options =
                new LinkedHashSet<>(OdpsConnectorOptions.connectionOptions());
        options.removeAll(requiredOptions());
        // A catalog shows every schema as a database; a table names its schema itself.
        options.remove(OdpsConnectorOptions.SCHEMA);
        options.add(DEFAULT_DATABASE);
        return options;
    }

    /**
     * The options a table of the catalog takes from the catalog when its own options lack them:
     * credentials and client settings, which {@code SHOW CREATE TABLE} must not print.
     */
    static Map<String, String> inheritedTableOptions(Map<String, String> catalogOptions) {
        Map<String, String> inherited = new HashMap<>();
        for (ConfigOption<?> option :
                List.of(
                        OdpsConnectorOptions.ACCESS_ID,
                        OdpsConnectorOptions.ACCESS_KEY,
                        OdpsConnectorOptions.STS_TOKEN,
                        OdpsConnectorOptions.CLIENT_MAX_RETRIES,
                        OdpsConnectorOptions.CLIENT_RETRY_BACKOFF,
                        OdpsConnectorOptions.CLIENT_TIMEOUT)) {
            String value = catalogOptions.get(option.key());
            if (value != null) {
                inherited.put(option.key(), value);
            }
        }
        return inherited;
    }

    /**
     * Checks catalog options: no unknown key, every required option set, every value parsable.
     *
     * @throws ValidationException naming the option and what would be valid
     */
    static void validate(Map<String, String> options) {
        Set<String> supported = new TreeSet<>();
        requiredOptions().forEach(option -> supported.add(option.key()));
        optionalOptions().forEach(option -> supported.add(option.key()));
        Set<String> unsupported = new TreeSet<>(options.keySet());
        unsupported.removeAll(supported);
        unsupported.remove(FactoryUtil.PROPERTY_VERSION.key());
        if (unsupported.contains(OdpsConnectorOptions.SCHEMA.key())) {
            throw new ValidationException(
                    "Option 'schema' is not supported by the 'odps' catalog: every schema of the"
                            + " project is a database. Use '"
                            + DEFAULT_DATABASE.key()
                            + "' to choose the database a session starts in.");
        }
        if (!unsupported.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Unsupported option(s) %s for a catalog of type '%s'. Supported"
                                    + " options: %s.",
                            unsupported, IDENTIFIER, supported));
        }
        Configuration config = Configuration.fromMap(options);
        FactoryUtil.validateFactoryOptions(requiredOptions(), optionalOptions(), config);
        if (config.get(DEFAULT_DATABASE).isBlank()) {
            throw new ValidationException(
                    "Option '" + DEFAULT_DATABASE.key() + "' must name a database, but is blank.");
        }
    }
}
