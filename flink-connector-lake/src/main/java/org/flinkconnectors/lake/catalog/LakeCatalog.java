package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.base.options.SecretSafeErrors;
import org.flinkconnectors.lake.iceberg.IcebergCatalogConfig;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;
import org.flinkconnectors.lake.table.LakeDynamicTableFactory;
import org.flinkconnectors.lake.table.LakeTableProperties;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.CatalogTable;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A catalog over one lake warehouse directory that shows Iceberg tables (of a Hadoop catalog on the
 * directory, or of a JDBC or REST Iceberg catalog) and Delta tables (directories) side by side.
 * {@code CREATE TABLE} makes an Iceberg table unless {@code 'table-format' = 'delta'}; partition
 * keys become identity partitions or Delta partition columns. {@code ALTER TABLE ... ADD column}
 * extends Iceberg tables.
 */
@Internal
public class LakeCatalog extends AbstractLakeCatalog {

    private final String warehouseLocation;
    private final IcebergCatalogConfig icebergCatalog;
    private LakeWarehouse warehouse;

    /** A warehouse directory whose Iceberg tables are those of a Hadoop catalog on it. */
    public LakeCatalog(String name, String defaultDatabase, String warehouse) {
        this(name, defaultDatabase, warehouse, IcebergCatalogConfig.hadoop(warehouse));
    }

    /**
     * A warehouse directory for Delta tables, with the Iceberg tables of {@code icebergCatalog} (a
     * Hadoop catalog on the same directory, or a JDBC or REST catalog).
     */
    public LakeCatalog(
            String name,
            String defaultDatabase,
            String warehouse,
            IcebergCatalogConfig icebergCatalog) {
        super(name, defaultDatabase);
        this.warehouseLocation = warehouse;
        this.icebergCatalog = icebergCatalog;
    }

    /** The tables' factory, which adds the Iceberg catalog's secrets kept out of table options. */
    @Override
    public Optional<Factory> getFactory() {
        return Optional.of(new LakeDynamicTableFactory(icebergCatalog.secretProperties()));
    }

    /**
     * Opens the warehouse and its Iceberg catalog.
     *
     * @throws ValidationException when they cannot be opened. Never a {@link CatalogException}:
     *     Flink wraps that in a message printing every catalog option unmasked.
     */
    @Override
    public void open() {
        try {
            warehouse = new LakeWarehouse(warehouseLocation, icebergCatalog);
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
                    icebergCatalog.secretProperties());
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
        TableFormat format =
                format(tablePath)
                        .orElseThrow(() -> new TableNotExistException(getName(), tablePath));
        try {
            return LakeCatalogTables.describe(
                    warehouse, tablePath.getDatabaseName(), tablePath.getObjectName(), format);
        } catch (IOException | RuntimeException e) {
            throw new CatalogException(
                    "Could not read the " + format + " table " + tablePath.getFullName(), e);
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
        String database = tablePath.getDatabaseName();
        String name = tablePath.getObjectName();
        TableFormat format = formatToCreate(tablePath, resolved.getOptions());
        Map<String, String> properties =
                LakeNewTables.properties(tablePath.getFullName(), format, resolved.getOptions());
        if (format == TableFormat.DELTA) {
            if (resolved.getResolvedSchema().getPrimaryKey().isPresent()) {
                // Creating it would drop the key silently, and inserts would then append.
                throw new org.apache.flink.table.api.ValidationException(
                        "Delta table "
                                + tablePath.getFullName()
                                + " cannot have a PRIMARY KEY: the lake sink cannot upsert into"
                                + " Delta tables (Delta Kernel 4.4 writes neither deletion"
                                + " vectors nor rewritten files). Leave the key out, or create an"
                                + " Iceberg table.");
            }
            LakeCatalogTables.createDelta(warehouse, database, name, resolved, properties);
        } else {
            LakeCatalogTables.createIceberg(warehouse, database, name, resolved, properties);
        }
    }

    /** The format of a new table; any option but the format is a mistake worth naming. */
    private static TableFormat formatToCreate(ObjectPath path, Map<String, String> options) {
        Map<String, String> rest = new HashMap<>(options);
        rest.remove(FactoryUtil.CONNECTOR.key());
        rest.keySet().removeIf(LakeTableProperties::isTableProperty);
        String format =
                Optional.ofNullable(rest.remove(LakeCatalogOptions.TABLE_FORMAT.key()))
                        .orElse(LakeCatalogOptions.TABLE_FORMAT.defaultValue())
                        .toLowerCase(Locale.ROOT);
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
        for (TableFormat candidate : TableFormat.values()) {
            if (candidate.toString().equals(format)) {
                return candidate;
            }
        }
        throw new ValidationException(
                String.format(
                        "Table %s: '%s' = '%s' is not a table format; valid values are 'iceberg'"
                                + " and 'delta'.",
                        path.getFullName(), LakeCatalogOptions.TABLE_FORMAT.key(), format));
    }

    @Override
    public void dropTable(ObjectPath tablePath, boolean ignoreIfNotExists)
            throws TableNotExistException {
        Optional<TableFormat> format = format(tablePath);
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
                    warehouse.deleteTable(tablePath.getDatabaseName(), tablePath.getObjectName());
                    return null;
                });
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath tablePath)
            throws TableNotExistException, TableNotPartitionedException {
        TableFormat format =
                format(tablePath)
                        .orElseThrow(() -> new TableNotExistException(getName(), tablePath));
        if (((CatalogTable) getTable(tablePath)).getPartitionKeys().isEmpty()) {
            throw new TableNotPartitionedException(getName(), tablePath);
        }
        return io(
                () ->
                        LakePartitions.list(
                                warehouse,
                                tablePath.getDatabaseName(),
                                tablePath.getObjectName(),
                                format));
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

    /** Only {@code ALTER TABLE ... ADD column} of Iceberg tables, appended as optional columns. */
    @Override
    public void alterTable(
            ObjectPath tablePath,
            CatalogBaseTable newTable,
            List<TableChange> changes,
            boolean ignoreIfNotExists)
            throws TableNotExistException {
        Optional<TableFormat> format = format(tablePath);
        if (format.isEmpty()) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new TableNotExistException(getName(), tablePath);
        }
        if (format.get() == TableFormat.ICEBERG) {
            LakeCatalogTables.addIcebergColumns(
                    warehouse, tablePath.getDatabaseName(), tablePath.getObjectName(), changes);
        } else {
            try {
                LakeCatalogTables.addDeltaColumns(
                        warehouse, tablePath.getDatabaseName(), tablePath.getObjectName(), changes);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                throw new ValidationException(e.getMessage(), e);
            }
        }
    }

    private Optional<TableFormat> format(ObjectPath tablePath) {
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
