package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.base.options.SecretSafeErrors;
import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeFormats;
import org.flinkconnectors.lake.table.LakeDynamicTableFactory;
import org.flinkconnectors.lake.table.LakeTableProperties;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.TableChange;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.table.factories.Factory;
import org.apache.flink.table.factories.FactoryUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A catalog over one lake warehouse directory that shows the tables of every registered format side
 * by side: Iceberg tables (of a Hadoop catalog on the directory, or of a JDBC or REST Iceberg
 * catalog) and Delta tables (directories). {@code CREATE TABLE} makes an Iceberg table unless
 * {@code 'table-format'} names another format; partition keys become the format's identity
 * partitions. {@code ALTER TABLE ... ADD column} appends nullable columns.
 */
@Internal
public class LakeCatalog extends AbstractLakeCatalog {

    private final String warehouseLocation;
    private final Configuration catalogOptions;
    private final Map<String, String> hiddenTableOptions;
    private LakeWarehouse warehouse;

    /** A warehouse directory whose Iceberg tables are those of a Hadoop catalog on it. */
    public LakeCatalog(String name, String defaultDatabase, String warehouse) {
        this(name, defaultDatabase, warehouse, new Configuration());
    }

    /**
     * A warehouse directory with the tables of every registered format; {@code catalogOptions}
     * configure the formats' parts (e.g. an Iceberg JDBC or REST catalog instead of a Hadoop
     * catalog on the directory). Fails if a format rejects them.
     */
    public LakeCatalog(
            String name, String defaultDatabase, String warehouse, ReadableConfig catalogOptions) {
        super(name, defaultDatabase);
        this.warehouseLocation = warehouse;
        this.catalogOptions = new Configuration();
        catalogOptions.toMap().forEach(this.catalogOptions::setString);
        this.catalogOptions.set(LakeCatalogOptions.WAREHOUSE, warehouse);
        Map<String, String> hidden = new HashMap<>();
        for (LakeFormat format : LakeFormats.all()) {
            hidden.putAll(format.checkCatalogOptions(this.catalogOptions));
        }
        this.hiddenTableOptions = Map.copyOf(hidden);
    }

    /** The tables' factory, which adds the formats' secrets kept out of table options. */
    @Override
    public Optional<Factory> getFactory() {
        return Optional.of(new LakeDynamicTableFactory(hiddenTableOptions));
    }

    /**
     * Opens the warehouse and the formats' catalogs.
     *
     * @throws ValidationException when they cannot be opened. Never a {@link CatalogException}:
     *     Flink wraps that in a message printing every catalog option unmasked.
     */
    @Override
    public void open() {
        try {
            warehouse = new LakeWarehouse(warehouseLocation, catalogOptions);
            if (!warehouse.databaseExists(getDefaultDatabase())) {
                warehouse.createDatabase(getDefaultDatabase());
            }
        } catch (IOException | RuntimeException e) {
            String context = "Could not open the lake warehouse " + warehouseLocation;
            throw SecretSafeErrors.asValidationException(
                    e instanceof RuntimeException runtime
                            ? runtime
                            : new UncheckedIOException((IOException) e),
                    context,
                    hiddenTableOptions);
        }
    }

    @Override
    public void close() throws CatalogException {
        if (warehouse != null) {
            try {
                warehouse.close();
            } catch (IOException e) {
                throw new CatalogException("Could not close the lake warehouse", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Databases
    // ------------------------------------------------------------------------------------------

    @Override
    public List<String> listDatabases() {
        return io(() -> warehouse.databases());
    }

    @Override
    public CatalogDatabase getDatabase(String databaseName) throws DatabaseNotExistException {
        requireDatabase(databaseName);
        return new CatalogDatabaseImpl(Map.of(), null);
    }

    @Override
    public boolean databaseExists(String databaseName) {
        return io(() -> warehouse.databaseExists(databaseName));
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists)
            throws DatabaseAlreadyExistException {
        if (databaseExists(name)) {
            if (ignoreIfExists) {
                return;
            }
            throw new DatabaseAlreadyExistException(getName(), name);
        }
        io(
                () -> {
                    warehouse.createDatabase(name);
                    return null;
                });
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade)
            throws DatabaseNotExistException, DatabaseNotEmptyException {
        if (!databaseExists(name)) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new DatabaseNotExistException(getName(), name);
        }
        if (!cascade && !io(() -> warehouse.isEmpty(name))) {
            throw new DatabaseNotEmptyException(getName(), name);
        }
        io(
                () -> {
                    warehouse.deleteDatabase(name);
                    return null;
                });
    }

    // ------------------------------------------------------------------------------------------
    // Tables
    // ------------------------------------------------------------------------------------------

    @Override
    public List<String> listTables(String databaseName) throws DatabaseNotExistException {
        requireDatabase(databaseName);
        return io(() -> warehouse.tables(databaseName));
    }

    @Override
    public boolean tableExists(ObjectPath tablePath) {
        return format(tablePath).isPresent();
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath tablePath) throws TableNotExistException {
        LakeFormat format =
                format(tablePath)
                        .orElseThrow(() -> new TableNotExistException(getName(), tablePath));
        try {
            return LakeCatalogTables.toCatalogTable(
                    format,
                    warehouse
                            .catalogOf(format)
                            .describe(tablePath.getDatabaseName(), tablePath.getObjectName()));
        } catch (IOException | RuntimeException e) {
            throw new CatalogException(
                    "Could not read the "
                            + format.identifier()
                            + " table "
                            + tablePath.getFullName(),
                    e);
        }
    }

    @Override
    public void createTable(ObjectPath tablePath, CatalogBaseTable table, boolean ignoreIfExists)
            throws TableAlreadyExistException, DatabaseNotExistException {
        requireDatabase(tablePath.getDatabaseName());
        if (tableExists(tablePath)) {
            if (ignoreIfExists) {
                return;
            }
            throw new TableAlreadyExistException(getName(), tablePath);
        }
        if (!(table instanceof ResolvedCatalogTable resolved)) {
            throw unsupported("CREATE VIEW");
        }
        LakeFormat format = formatToCreate(tablePath, resolved.getOptions());
        Map<String, String> properties =
                LakeTableProperties.ofNewTable(
                        tablePath.getFullName(), format, resolved.getOptions());
        if (resolved.getResolvedSchema().getPrimaryKey().isPresent()
                && !format.capabilities().contains(LakeCapability.UPSERT)) {
            // Creating it would drop the key silently, and inserts would then append.
            throw new ValidationException(
                    String.format(
                            "%s table %s cannot have a PRIMARY KEY: the lake sink cannot upsert"
                                    + " into %s tables. Leave the key out, or create a table of"
                                    + " a format that can: %s.",
                            format.identifier(),
                            tablePath.getFullName(),
                            format.identifier(),
                            LakeFormats.withCapability(LakeCapability.UPSERT)));
        }
        io(
                () -> {
                    warehouse
                            .catalogOf(format)
                            .create(
                                    tablePath.getDatabaseName(),
                                    tablePath.getObjectName(),
                                    resolved,
                                    properties);
                    return null;
                });
    }

    /** The format of a new table; any option but the format is a mistake worth naming. */
    private static LakeFormat formatToCreate(ObjectPath path, Map<String, String> options) {
        Map<String, String> rest = new HashMap<>(options);
        rest.remove(FactoryUtil.CONNECTOR.key());
        rest.keySet().removeIf(LakeTableProperties::isTableProperty);
        String format =
                Optional.ofNullable(rest.remove(LakeCatalogOptions.TABLE_FORMAT.key()))
                        .orElse(LakeCatalogOptions.TABLE_FORMAT.defaultValue());
        if (!rest.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Table %s: the lake catalog takes only the option '%s' and table"
                                    + " properties (keys %s) in CREATE TABLE, but got %s.",
                            path.getFullName(),
                            LakeCatalogOptions.TABLE_FORMAT.key(),
                            LakeTableProperties.PREFIXES,
                            rest.keySet()));
        }
        return LakeFormats.of(LakeCatalogOptions.TABLE_FORMAT.key(), format);
    }

    @Override
    public void dropTable(ObjectPath tablePath, boolean ignoreIfNotExists)
            throws TableNotExistException {
        Optional<LakeFormat> format = format(tablePath);
        if (format.isEmpty()) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new TableNotExistException(getName(), tablePath);
        }
        io(
                () -> {
                    // Dropping a table of this catalog deletes its data, as Iceberg's Hadoop
                    // catalog does.
                    warehouse
                            .catalogOf(format.get())
                            .drop(tablePath.getDatabaseName(), tablePath.getObjectName());
                    return null;
                });
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath tablePath)
            throws TableNotExistException, TableNotPartitionedException {
        LakeFormat format =
                format(tablePath)
                        .orElseThrow(() -> new TableNotExistException(getName(), tablePath));
        if (((CatalogTable) getTable(tablePath)).getPartitionKeys().isEmpty()) {
            throw new TableNotPartitionedException(getName(), tablePath);
        }
        Set<Map<String, String>> specs =
                io(
                        () ->
                                warehouse
                                        .catalogOf(format)
                                        .partitions(
                                                tablePath.getDatabaseName(),
                                                tablePath.getObjectName()));
        return specs.stream().map(CatalogPartitionSpec::new).toList();
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(
            ObjectPath tablePath, CatalogPartitionSpec partitionSpec)
            throws TableNotExistException, TableNotPartitionedException {
        Map<String, String> wanted = partitionSpec.getPartitionSpec();
        return listPartitions(tablePath).stream()
                .filter(p -> p.getPartitionSpec().entrySet().containsAll(wanted.entrySet()))
                .toList();
    }

    /** Only {@code ALTER TABLE ... ADD column}, appended as nullable columns. */
    @Override
    public void alterTable(
            ObjectPath tablePath,
            CatalogBaseTable newTable,
            List<TableChange> changes,
            boolean ignoreIfNotExists)
            throws TableNotExistException {
        Optional<LakeFormat> format = format(tablePath);
        if (format.isEmpty()) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new TableNotExistException(getName(), tablePath);
        }
        List<Column> columns = LakeCatalogTables.appendedColumns(tablePath.getFullName(), changes);
        try {
            io(
                    () -> {
                        warehouse
                                .catalogOf(format.get())
                                .addColumns(
                                        tablePath.getDatabaseName(),
                                        tablePath.getObjectName(),
                                        columns);
                        return null;
                    });
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // The format refuses this change for this table (e.g. a table feature it cannot
            // write); its message says why.
            throw new ValidationException(e.getMessage(), e);
        }
    }

    private Optional<LakeFormat> format(ObjectPath tablePath) {
        return io(
                () ->
                        warehouse.databaseExists(tablePath.getDatabaseName())
                                ? warehouse.format(
                                        tablePath.getDatabaseName(), tablePath.getObjectName())
                                : Optional.empty());
    }

    private void requireDatabase(String databaseName) throws DatabaseNotExistException {
        if (!databaseExists(databaseName)) {
            throw new DatabaseNotExistException(getName(), databaseName);
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private <T> T io(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new CatalogException(
                    "I/O error in the lake warehouse " + warehouseLocation + ": " + e, e);
        }
    }
}
