package org.flinkconnectors.odps.table;

import org.flinkconnectors.base.options.ConnectorOptionUtils;
import org.flinkconnectors.base.options.OptionAliases;
import org.flinkconnectors.base.table.SecretSafeTableFactories;
import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.partition.PartitionSpecPattern;
import org.flinkconnectors.odps.source.PartitionChangePolicy;
import org.flinkconnectors.odps.types.ArrowToFlinkVectors;
import org.flinkconnectors.odps.types.OdpsSchemaValidator;
import org.flinkconnectors.odps.types.OdpsTypeConversions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Factory of {@code 'connector' = 'odps'} tables. Checks the options and, at planning time, that
 * the declared columns exist in the MaxCompute table with compatible types, and that a sink's
 * PRIMARY KEY matches the table's. An invalid table whose options hold the access key fails when
 * the planner uses it, so that Flink's own message, which prints every option and does not consider
 * {@code access-key} secret, never shows it (see {@link SecretSafeTableFactories}).
 */
@Internal
public class OdpsDynamicTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    public static final String IDENTIFIER = "odps";

    private static final Set<String> CREDENTIAL_KEYS =
            Set.of(
                    OdpsConnectorOptions.ACCESS_ID.key(),
                    OdpsConnectorOptions.ACCESS_KEY.key(),
                    OdpsConnectorOptions.STS_TOKEN.key());

    /** Options of the catalog the tables belong to, for what their own options lack. */
    private final Map<String, String> catalogOptions;

    public OdpsDynamicTableFactory() {
        this(Map.of());
    }

    /**
     * The factory of the tables of an {@code odps} catalog, which keeps credentials and client
     * settings out of the table options: an option a table lacks comes from {@code catalogOptions}.
     * Credentials come whole from one side, the table's (dynamic) options or the catalog, never
     * mixed.
     */
    public OdpsDynamicTableFactory(Map<String, String> catalogOptions) {
        this.catalogOptions = Map.copyOf(catalogOptions);
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(OdpsConnectorOptions.ENDPOINT);
        options.add(OdpsConnectorOptions.PROJECT);
        options.add(OdpsConnectorOptions.TABLE);
        return options;
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options =
                new LinkedHashSet<>(OdpsConnectorOptions.connectionOptions());
        options.removeAll(requiredOptions());
        options.add(OdpsConnectorOptions.PARTITION);
        options.add(OdpsConnectorOptions.SCAN_SPLIT_ROWS);
        options.add(OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL);
        options.add(OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE);
        options.add(OdpsConnectorOptions.SCAN_FORMAT);
        options.add(OdpsConnectorOptions.SCAN_MAX_PARTITIONS);
        options.add(OdpsConnectorOptions.SINK_DELIVERY_GUARANTEE);
        options.add(OdpsConnectorOptions.SINK_DYNAMIC_PARTITION_LIMIT);
        options.add(OdpsConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS);
        options.add(OdpsConnectorOptions.SINK_BUFFER_FLUSH_MAX_SIZE);
        options.add(OdpsConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL);
        options.add(OdpsConnectorOptions.SINK_BUFFER_MEMORY);
        options.add(FactoryUtil.SOURCE_PARALLELISM);
        options.add(FactoryUtil.SINK_PARALLELISM);
        options.addAll(OdpsConnectorOptions.lookupOptions());
        options.addAll(OdpsMigrationOptions.options());
        return options;
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        return SecretSafeTableFactories.createSink(
                context,
                effectiveOptions(context.getCatalogTable().getOptions()),
                () -> {
                    OdpsTableSettings settings = settings(context);
                    ResolvedCatalogTable table = context.getCatalogTable();
                    RowType rowType = (RowType) context.getPhysicalRowDataType().getLogicalType();
                    TableSchema odpsSchema = validatedSchema(settings, rowType);
                    List<String> partitionKeys =
                            odpsSchema.getPartitionColumns().stream()
                                    .map(Column::getName)
                                    .collect(Collectors.toList());
                    if (!table.getPartitionKeys().isEmpty()
                            && !sameKeys(table.getPartitionKeys(), partitionKeys)) {
                        throw new ValidationException(
                                "PARTITIONED BY "
                                        + table.getPartitionKeys()
                                        + " does not match the partition keys "
                                        + partitionKeys
                                        + " of MaxCompute table "
                                        + settings.tablePath()
                                        + ".");
                    }
                    List<String> primaryKey =
                            table.getResolvedSchema()
                                    .getPrimaryKey()
                                    .map(UniqueConstraint::getColumns)
                                    .orElse(List.of());
                    OdpsMigrationOptions.checkUpsert(settings.enableUpsert, primaryKey);
                    OdpsPrimaryKeys.validate(settings, primaryKey, partitionKeys);
                    return new OdpsDynamicSink(settings, rowType, partitionKeys, primaryKey);
                });
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        return SecretSafeTableFactories.createSource(
                context,
                effectiveOptions(context.getCatalogTable().getOptions()),
                () -> {
                    OdpsTableSettings settings = settings(context);
                    RowType rowType = (RowType) context.getPhysicalRowDataType().getLogicalType();
                    TableSchema odpsSchema = validatedSchema(settings, rowType);
                    if (settings.scanFormat == OdpsConnectorOptions.ScanFormat.ARROW) {
                        requireArrowReadable(settings, rowType, odpsSchema);
                    }
                    List<String> partitionKeys =
                            odpsSchema.getPartitionColumns().stream()
                                    .map(Column::getName)
                                    .collect(Collectors.toList());
                    if (settings.partition != null) {
                        PartitionSpecPattern.parse(settings.partition).validateKeys(partitionKeys);
                    }
                    return new OdpsDynamicSource(settings, rowType, partitionKeys);
                });
    }

    private OdpsTableSettings settings(Context context) {
        Map<String, String> tableOptions = context.getCatalogTable().getOptions();
        OdpsMigrationOptions.rejectWithoutEquivalent(tableOptions);
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        // Before Flink parses it, so that a typo names the valid values.
        ConnectorOptionUtils.validateEnumOption(
                effectiveOptions(tableOptions),
                OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE,
                PartitionChangePolicy.class);
        // Every value parses (also under a deprecated name) before the names are translated.
        helper.validate();
        return new OdpsTableSettings(
                Configuration.fromMap(effectiveOptions(ownOptions(tableOptions))));
    }

    /**
     * The table's options under this connector's own keys: deprecated names (those of Alibaba's
     * MaxCompute connector among them) renamed, and Alibaba's options whose values differ from ours
     * translated.
     */
    Map<String, String> ownOptions(Map<String, String> tableOptions) {
        Set<ConfigOption<?>> declared = new LinkedHashSet<>(requiredOptions());
        declared.addAll(optionalOptions());
        return OdpsMigrationOptions.translate(OptionAliases.resolve(tableOptions, declared));
    }

    private Map<String, String> effectiveOptions(Map<String, String> tableOptions) {
        if (catalogOptions.isEmpty()) {
            return tableOptions;
        }
        boolean ownCredentials = tableOptions.keySet().stream().anyMatch(CREDENTIAL_KEYS::contains);
        Map<String, String> merged = new HashMap<>();
        catalogOptions.forEach(
                (key, value) -> {
                    if (!ownCredentials || !CREDENTIAL_KEYS.contains(key)) {
                        merged.put(key, value);
                    }
                });
        merged.putAll(tableOptions);
        return merged;
    }

    static TableSchema validatedSchema(OdpsTableSettings settings, RowType rowType) {
        TableSchema schema;
        try {
            schema = new OdpsTableClient(settings.connection, settings.table).schema();
        } catch (IOException e) {
            throw new ValidationException(
                    "Could not read the schema of MaxCompute table "
                            + settings.tablePath()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        OdpsSchemaValidator.validate(settings.tablePath(), rowType, schema);
        return schema;
    }

    private static void requireArrowReadable(
            OdpsTableSettings settings, RowType rowType, TableSchema odpsSchema) {
        for (String name : rowType.getFieldNames()) {
            Column column = odpsSchema.containsColumn(name) ? odpsSchema.getColumn(name) : null;
            if (column != null && !ArrowToFlinkVectors.canRead(column.getTypeInfo())) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' of MaxCompute table %s is %s, which '%s' = 'arrow'"
                                        + " cannot read: Arrow reads carry scalar types only."
                                        + " Use '%s' = 'record' for this table.",
                                column.getName(),
                                settings.tablePath(),
                                OdpsTypeConversions.describe(column.getTypeInfo()),
                                OdpsConnectorOptions.SCAN_FORMAT.key(),
                                OdpsConnectorOptions.SCAN_FORMAT.key()));
            }
        }
    }

    private static boolean sameKeys(List<String> declared, List<String> actual) {
        if (declared.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < declared.size(); i++) {
            if (!declared.get(i).equalsIgnoreCase(actual.get(i))) {
                return false;
            }
        }
        return true;
    }
}
