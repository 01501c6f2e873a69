package org.flinkconnectors.lake.table;

import org.flinkconnectors.base.options.ConnectorOptionUtils;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Factory of {@code 'connector' = 'lake'} tables (the read side): Iceberg tables of a Hadoop
 * catalog and Delta tables by path, chosen by {@code 'table-format'}. It checks the options, then,
 * at planning time, the table itself: the version to read and the declared columns' types. Options
 * under {@code properties.} go to the Hadoop configuration the formats use.
 */
@Internal
public class LakeDynamicTableFactory implements DynamicTableSourceFactory {

    public static final String IDENTIFIER = "lake";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(LakeConnectorOptions.TABLE_FORMAT);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(LakeConnectorOptions.CATALOG_TYPE);
        options.add(LakeConnectorOptions.WAREHOUSE);
        options.add(LakeConnectorOptions.DATABASE);
        options.add(LakeConnectorOptions.TABLE);
        options.add(LakeConnectorOptions.PATH);
        options.add(LakeConnectorOptions.SCAN_SNAPSHOT_ID);
        options.add(LakeConnectorOptions.SCAN_TAG);
        options.add(LakeConnectorOptions.SCAN_BRANCH);
        options.add(LakeConnectorOptions.SCAN_VERSION);
        options.add(LakeConnectorOptions.SCAN_AS_OF_TIMESTAMP);
        options.add(LakeConnectorOptions.SCAN_MODE);
        options.add(LakeConnectorOptions.SCAN_STARTUP_SNAPSHOT_ID);
        options.add(LakeConnectorOptions.SCAN_STARTUP_VERSION);
        options.add(LakeConnectorOptions.SCAN_STARTUP_TIMESTAMP_MILLIS);
        options.add(LakeConnectorOptions.SCAN_MONITOR_INTERVAL);
        options.add(LakeConnectorOptions.SCAN_ON_REWRITE);
        options.add(LakeConnectorOptions.SCAN_SPLIT_SIZE);
        options.add(FactoryUtil.SOURCE_PARALLELISM);
        return options;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        Map<String, String> rawOptions = context.getCatalogTable().getOptions();
        // Before Flink's own check, whose messages name neither the valid values nor the format.
        LakeTableSettings.checkEnumValues(rawOptions);
        FactoryUtil.createTableFactoryHelper(this, context)
                .validateExcept(ConnectorOptionUtils.PROPERTIES_PREFIX);
        LakeTableSettings settings = new LakeTableSettings(rawOptions);
        RowType declared = (RowType) context.getPhysicalRowDataType().getLogicalType();
        LakeTableCheck.check(settings, declared);
        return new LakeDynamicSource(settings, declared);
    }
}
