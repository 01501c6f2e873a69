package org.flinkconnectors.lake.delta;

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
import org.apache.flink.table.catalog.ResolvedSchema;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delta Lake tables by path, through Delta Kernel. Delta Kernel 4.4 writes neither deletion vectors
 * nor rewritten files, so these tables are appended to and overwritten, not upserted.
 */
@Internal
public final class DeltaFormat implements LakeFormat {

    public static final String IDENTIFIER = "delta";

    private static final LakeVersionNaming VERSIONS =
            new LakeVersionNaming(
                    "version",
                    "from-version",
                    DeltaOptions.SCAN_STARTUP_VERSION,
                    DeltaOptions.SCAN_END_VERSION,
                    List.of(LakeTimeTravelOption.version(DeltaOptions.SCAN_VERSION)));

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public String description() {
        return "A Delta Lake table at a path.";
    }

    @Override
    public Set<LakeCapability> capabilities() {
        return EnumSet.of(
                LakeCapability.STREAMING,
                LakeCapability.APPEND,
                LakeCapability.OVERWRITE,
                LakeCapability.CHANGELOG,
                LakeCapability.LOOKUP);
    }

    @Override
    public boolean writtenForOwnConnector(Map<String, String> options) {
        // Delta's Flink connector names the table's location so.
        return options.containsKey("table-path");
    }

    @Override
    public List<ConfigOption<?>> tableOptions() {
        return List.of(
                DeltaOptions.PATH,
                DeltaOptions.SCAN_VERSION,
                DeltaOptions.SCAN_STARTUP_VERSION,
                DeltaOptions.SCAN_END_VERSION,
                LakeFormatOptions.SINK_BUFFER_MEMORY);
    }

    @Override
    public LakeVersionNaming versionNaming() {
        return VERSIONS;
    }

    @Override
    public LakeTableLoader loader(ReadableConfig options, Map<String, String> hadoopProperties) {
        String path =
                options.getOptional(DeltaOptions.PATH)
                        .orElseThrow(
                                () ->
                                        ConnectorOptionUtils.requiredWhen(
                                                DeltaOptions.PATH,
                                                LakeFormatOptions.TABLE_FORMAT,
                                                IDENTIFIER));
        return DeltaTableLoader.path(path, hadoopProperties);
    }

    @Override
    public List<String> tablePropertyPrefixes() {
        return List.of("delta.");
    }

    @Override
    public void createIfMissing(
            LakeTableLoader loader,
            ResolvedSchema schema,
            List<String> partitionKeys,
            Map<String, String> properties)
            throws IOException {
        DeltaNewTables.createIfMissing(
                (DeltaTableLoader) loader, schema, partitionKeys, properties);
    }

    @Override
    public LakeFormatCatalog openCatalog(
            ReadableConfig catalogOptions, LakeWarehouseFiles warehouse) {
        return new DeltaWarehouseTables(this, warehouse);
    }
}
