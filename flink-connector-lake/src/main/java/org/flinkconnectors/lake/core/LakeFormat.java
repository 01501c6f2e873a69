package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedSchema;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table format of the lake connector, found by {@link LakeFormats} through {@link
 * java.util.ServiceLoader}: the options its tables take, how it loads and creates them, what they
 * can do, and its part of a lake catalog. Adding a format means implementing this interface (and
 * {@link LakeTable} for its tables) in the format's own package and registering it in {@code
 * META-INF/services/org.flinkconnectors.lake.core.LakeFormat}.
 */
@PublicEvolving
public interface LakeFormat {

    /** The value of {@code 'table-format'}, e.g. {@code iceberg}. */
    String identifier();

    /** What a table of this format is, for documentation and messages. */
    String description();

    /** What every table of this format can do. */
    Set<LakeCapability> capabilities();

    /** Connector options only this format's tables take; other formats reject them. */
    List<ConfigOption<?>> tableOptions();

    /** How the format names its versions in options and metadata. */
    LakeVersionNaming versionNaming();

    /**
     * The table the connector options name, checked without I/O: a missing or invalid option fails
     * with a {@link org.apache.flink.table.api.ValidationException} naming it.
     */
    LakeTableLoader loader(ReadableConfig options, Map<String, String> hadoopProperties);

    /** Key prefixes of this format's table properties; a prefix without a final dot is a key. */
    List<String> tablePropertyPrefixes();

    default boolean isTableProperty(String key) {
        return tablePropertyPrefixes().stream()
                .anyMatch(
                        prefix ->
                                prefix.endsWith(".") ? key.startsWith(prefix) : key.equals(prefix));
    }

    /** The properties a new table gets from the given ones: the format's defaults added. */
    default Map<String, String> newTableProperties(Map<String, String> properties) {
        return properties;
    }

    /**
     * Creates the table {@code loader} names from a Flink schema, unless it exists; a table that
     * another writer creates at the same moment is taken as it is. Partition keys become the
     * format's identity partitions.
     */
    void createIfMissing(
            LakeTableLoader loader,
            ResolvedSchema schema,
            List<String> partitionKeys,
            Map<String, String> properties)
            throws IOException;

    /**
     * Whether options that name no {@code table-format} were written for this format's own Flink
     * connector (a DDL copied from its documentation), so the format can be taken for granted.
     */
    default boolean writtenForOwnConnector(Map<String, String> options) {
        return false;
    }

    /**
     * Option names of the format's own Flink connector whose values this connector cannot take as
     * they are, accepted for users migrating from it and turned into this connector's options by
     * {@link #fromOwnConnectorNames}. Names that only differ are deprecated keys of the options.
     */
    default List<ConfigOption<?>> ownConnectorOptions() {
        return List.of();
    }

    /**
     * The options with the names of {@link #ownConnectorOptions()} turned into this connector's,
     * and what the format's own connector derives from the table's identifier where unset.
     *
     * @param table the table's identifier in Flink's catalog
     */
    default Map<String, String> fromOwnConnectorNames(
            Map<String, String> options, ObjectIdentifier table) {
        return options;
    }

    /** Options of a lake catalog that configure this format's part of it. */
    default List<ConfigOption<?>> catalogOptions() {
        return List.of();
    }

    /**
     * Checks the catalog options this format reads, without I/O, and returns the secret ones that
     * the catalog's tables need but their shown options leave out.
     */
    default Map<String, String> checkCatalogOptions(ReadableConfig catalogOptions) {
        return Map.of();
    }

    /** This format's tables in a lake catalog's warehouse. */
    LakeFormatCatalog openCatalog(ReadableConfig catalogOptions, LakeWarehouseFiles warehouse)
            throws IOException;
}
