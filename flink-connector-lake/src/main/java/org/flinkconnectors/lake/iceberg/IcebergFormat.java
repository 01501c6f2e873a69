package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.base.options.ConnectorOptionUtils;
import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeFormatCatalog;
import org.flinkconnectors.lake.core.LakeFormatOptions;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeTimeTravelOption;
import org.flinkconnectors.lake.core.LakeVersionNaming;
import org.flinkconnectors.lake.core.LakeWarehouseFiles;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedSchema;

import org.apache.iceberg.TableProperties;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Apache Iceberg tables of a Hadoop, JDBC or REST catalog, through Iceberg's Flink runtime. */
@Internal
public final class IcebergFormat implements LakeFormat {

    public static final String IDENTIFIER = "iceberg";

    private static final LakeVersionNaming VERSIONS =
            new LakeVersionNaming(
                    "snapshot-id",
                    "from-snapshot",
                    IcebergOptions.SCAN_STARTUP_SNAPSHOT_ID,
                    IcebergOptions.SCAN_END_SNAPSHOT_ID,
                    List.of(
                            LakeTimeTravelOption.version(IcebergOptions.SCAN_SNAPSHOT_ID),
                            LakeTimeTravelOption.ref(IcebergOptions.SCAN_TAG),
                            LakeTimeTravelOption.ref(IcebergOptions.SCAN_BRANCH)));

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public String description() {
        return "An Apache Iceberg table in a catalog.";
    }

    @Override
    public Set<LakeCapability> capabilities() {
        return EnumSet.allOf(LakeCapability.class);
    }

    @Override
    public List<ConfigOption<?>> tableOptions() {
        List<ConfigOption<?>> options = new ArrayList<>(IcebergCatalogs.OPTIONS);
        options.addAll(
                List.of(
                        IcebergOptions.WAREHOUSE,
                        IcebergOptions.DATABASE,
                        IcebergOptions.TABLE,
                        IcebergOptions.SCAN_SNAPSHOT_ID,
                        IcebergOptions.SCAN_TAG,
                        IcebergOptions.SCAN_BRANCH,
                        IcebergOptions.SCAN_STARTUP_SNAPSHOT_ID,
                        IcebergOptions.SCAN_END_SNAPSHOT_ID,
                        LakeFormatOptions.SCAN_SPLIT_SIZE));
        return options;
    }

    @Override
    public boolean writtenForOwnConnector(Map<String, String> options) {
        return IcebergConnectorNames.writtenFor(options);
    }

    @Override
    public List<ConfigOption<?>> ownConnectorOptions() {
        return IcebergConnectorNames.OPTIONS;
    }

    @Override
    public Map<String, String> fromOwnConnectorNames(
            Map<String, String> options, ObjectIdentifier table) {
        return IcebergConnectorNames.translate(options, table);
    }

    @Override
    public LakeVersionNaming versionNaming() {
        return VERSIONS;
    }

    @Override
    public LakeTableLoader loader(ReadableConfig options, Map<String, String> hadoopProperties) {
        return IcebergTableLoader.of(
                IcebergCatalogs.fromOptions(options, hadoopProperties),
                required(options, IcebergOptions.DATABASE),
                required(options, IcebergOptions.TABLE));
    }

    private static String required(ReadableConfig options, ConfigOption<String> option) {
        return options.getOptional(option)
                .orElseThrow(
                        () ->
                                ConnectorOptionUtils.requiredWhen(
                                        option, LakeFormatOptions.TABLE_FORMAT, IDENTIFIER));
    }

    @Override
    public List<String> tablePropertyPrefixes() {
        return List.of("format-version", "write.", "read.", "commit.", "history.", "gc.");
    }

    @Override
    public Map<String, String> newTableProperties(Map<String, String> properties) {
        Map<String, String> withDefaults = new HashMap<>(properties);
        withDefaults.putIfAbsent(TableProperties.FORMAT_VERSION, "2");
        return withDefaults;
    }

    @Override
    public void createIfMissing(
            LakeTableLoader loader,
            ResolvedSchema schema,
            List<String> partitionKeys,
            Map<String, String> properties)
            throws IOException {
        IcebergNewTables.createIfMissing(
                (IcebergTableLoader) loader, schema, partitionKeys, properties);
    }

    @Override
    public List<ConfigOption<?>> catalogOptions() {
        return List.copyOf(IcebergCatalogs.OPTIONS);
    }

    @Override
    public Map<String, String> checkCatalogOptions(ReadableConfig catalogOptions) {
        return catalogConfig(catalogOptions).secretProperties();
    }

    @Override
    public LakeFormatCatalog openCatalog(
            ReadableConfig catalogOptions, LakeWarehouseFiles warehouse) {
        return new IcebergWarehouseTables(this, catalogConfig(catalogOptions), warehouse);
    }

    private static IcebergCatalogConfig catalogConfig(ReadableConfig catalogOptions) {
        return IcebergCatalogs.fromOptions(catalogOptions, Map.of());
    }
}
