package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.base.options.SecretSafeErrors;
import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.table.OdpsConnectorOptions;
import org.flinkconnectors.odps.table.OdpsDynamicTableFactory;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionAlreadyExistsException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionSpecInvalidException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.factories.Factory;
import org.apache.flink.table.factories.FactoryUtil;

import com.aliyun.odps.Table;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.flinkconnectors.odps.catalog.OdpsCatalogOptions.DEFAULT_SCHEMA;

/**
 * A Flink catalog over one MaxCompute project. The project's schemas are the databases (a project
 * without schemas has the single database {@code default}); its tables, with partition keys,
 * comments and the primary key of Delta tables, are the tables; their partitions, row counts and
 * sizes are partitions and statistics. Tables can be created and dropped, partitions added and
 * dropped; tables read or written through the catalog use the {@code odps} connector with the
 * catalog's credentials, which never appear in a table's options.
 *
 * <p>MaxCompute views are not shown, and nothing is altered or renamed (see {@link
 * AbstractOdpsCatalog}).
 */
@PublicEvolving
public class OdpsCatalog extends AbstractOdpsCatalog {

    private final Map<String, String> options;
    @Nullable private OdpsConnectionConfig connection;
    @Nullable private OdpsMetadataClient client;
    @Nullable private DatabaseOperations databases;
    @Nullable private PartitionOperations partitions;

    /**
     * @param options the catalog options ({@link OdpsCatalogOptions}) without {@code type}; they
     *     are checked by {@link #open()}
     */
    public OdpsCatalog(String name, Map<String, String> options) {
        super(name, defaultDatabase(options));
        this.options = Map.copyOf(options);
    }

    private static String defaultDatabase(Map<String, String> options) {
        String value = options.get(OdpsCatalogOptions.DEFAULT_DATABASE.key());
        // A blank value is reported by open(), where the error cannot expose the other options.
        return value == null || value.isBlank() ? DEFAULT_SCHEMA : value.trim();
    }

    /**
     * Checks the options and connects to the project.
     *
     * @throws ValidationException for invalid options, a failed connection or a missing default
     *     database. Never a {@link CatalogException}: Flink would wrap that in a message printing
     *     every catalog option, and it does not consider {@code access-key} a secret.
     */
    @Override
    public void open() {
        try {
            OdpsCatalogOptions.validate(options);
            connection = OdpsConnectionConfig.fromOptions(Configuration.fromMap(options));
            client = OdpsMetadataClient.connect(connection);
            databases = new DatabaseOperations(getName(), client);
            partitions = new PartitionOperations(getName(), client);
            if (!databaseExists(getDefaultDatabase())) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' names '%s', which is not a database of MaxCompute"
                                        + " project '%s'. Existing databases: %s.",
                                OdpsCatalogOptions.DEFAULT_DATABASE.key(),
                                getDefaultDatabase(),
                                client.projectName(),
                                listDatabases()));
            }
        } catch (RuntimeException e) {
            client = null;
            throw withoutSecrets(e);
        }
    }

    private ValidationException withoutSecrets(RuntimeException error) {
        return SecretSafeErrors.asValidationException(
                error, "Could not open the odps catalog '" + getName() + "'", options);
    }

    @Override
    public void close() {
        client = null;
        databases = null;
        partitions = null;
    }

    /** The {@code odps} table factory, given the catalog's credentials and client settings. */
    @Override
    public Optional<Factory> getFactory() {
        return Optional.of(
                new OdpsDynamicTableFactory(OdpsCatalogOptions.inheritedTableOptions(options)));
    }

    // ------------------------------------------------------------------------------------------
    // Databases: the schemas of the project
    // ------------------------------------------------------------------------------------------

    @Override
    public List<String> listDatabases() {
        return databases().list();
    }

    @Override
    public CatalogDatabase getDatabase(String name) throws DatabaseNotExistException {
        return databases().get(name);
    }

    @Override
    public boolean databaseExists(String name) {
        return databases().exists(name);
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists)
            throws DatabaseAlreadyExistException {
        databases().create(name, database, ignoreIfExists);
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade)
            throws DatabaseNotExistException, DatabaseNotEmptyException {
        databases().drop(name, ignoreIfNotExists, cascade);
    }

    // ------------------------------------------------------------------------------------------
    // Tables
    // ------------------------------------------------------------------------------------------

    @Override
    public List<String> listTables(String database) throws DatabaseNotExistException {
        requireDatabase(database);
        List<String> names = new ArrayList<>();
        for (Table table : client().tables(database)) {
            if (!isView(table)) {
                names.add(table.getName());
            }
        }
        return names;
    }

    /** MaxCompute views are written in MaxCompute SQL, which Flink cannot run: none are shown. */
    @Override
    public List<String> listViews(String database) throws DatabaseNotExistException {
        requireDatabase(database);
        return List.of();
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath path) throws TableNotExistException {
        Table table = loadTable(path);
        String qualified = client().path(path.getDatabaseName(), table.getName());
        if (isView(table)) {
            throw new CatalogException(
                    qualified + " is a MaxCompute view; the odps catalog shows tables only.");
        }
        return CatalogTableConversions.toCatalogTable(
                qualified, table, tableOptions(path.getDatabaseName(), table.getName()));
    }

    @Override
    public boolean tableExists(ObjectPath path) {
        return client().table(path.getDatabaseName(), path.getObjectName()).isPresent();
    }

    @Override
    public void dropTable(ObjectPath path, boolean ignoreIfNotExists)
            throws TableNotExistException {
        if (!tableExists(path)) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new TableNotExistException(getName(), path);
        }
        client().dropTable(path.getDatabaseName(), path.getObjectName());
    }

    /**
     * Creates a MaxCompute table: non-partition columns in order, then the partition keys in {@code
     * PARTITIONED BY} order; a primary key makes it a Delta (transactional) table.
     */
    @Override
    public void createTable(ObjectPath path, CatalogBaseTable table, boolean ignoreIfExists)
            throws TableAlreadyExistException, DatabaseNotExistException {
        requireDatabase(path.getDatabaseName());
        if (table.getTableKind() != CatalogBaseTable.TableKind.TABLE) {
            throw unsupported("creating views");
        }
        if (!(table instanceof ResolvedCatalogTable)) {
            throw new CatalogException("The odps catalog creates resolved tables only.");
        }
        if (tableExists(path)) {
            if (ignoreIfExists) {
                return;
            }
            throw new TableAlreadyExistException(getName(), path);
        }
        String qualified = client().path(path.getDatabaseName(), path.getObjectName());
        client().createTable(
                        path.getDatabaseName(),
                        path.getObjectName(),
                        CatalogTableConversions.toOdpsDefinition(
                                qualified, (ResolvedCatalogTable) table));
    }

    /** Row count and total size as MaxCompute records them; -1 where it does not know them. */
    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath path)
            throws TableNotExistException {
        Table table = loadTable(path);
        return new CatalogTableStatistics(table.getRecordNum(), -1, table.getSize(), -1);
    }

    // ------------------------------------------------------------------------------------------
    // Partitions
    // ------------------------------------------------------------------------------------------

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path)
            throws TableNotExistException, TableNotPartitionedException {
        try {
            return partitions().list(path, new CatalogPartitionSpec(Map.of()));
        } catch (PartitionSpecInvalidException e) {
            throw new IllegalStateException("An empty spec is always valid.", e);
        }
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path, CatalogPartitionSpec spec)
            throws TableNotExistException,
                    TableNotPartitionedException,
                    PartitionSpecInvalidException {
        return partitions().list(path, spec);
    }

    @Override
    public CatalogPartition getPartition(ObjectPath path, CatalogPartitionSpec spec)
            throws PartitionNotExistException {
        return partitions().get(path, spec);
    }

    @Override
    public boolean partitionExists(ObjectPath path, CatalogPartitionSpec spec) {
        return partitions().exists(path, spec);
    }

    @Override
    public void createPartition(
            ObjectPath path,
            CatalogPartitionSpec spec,
            CatalogPartition partition,
            boolean ignoreIfExists)
            throws TableNotExistException,
                    TableNotPartitionedException,
                    PartitionSpecInvalidException,
                    PartitionAlreadyExistsException {
        partitions().create(path, spec, ignoreIfExists);
    }

    @Override
    public void dropPartition(ObjectPath path, CatalogPartitionSpec spec, boolean ignoreIfNotExists)
            throws PartitionNotExistException {
        partitions().drop(path, spec, ignoreIfNotExists);
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(ObjectPath path, CatalogPartitionSpec spec)
            throws PartitionNotExistException {
        return partitions().statistics(path, spec);
    }

    // ------------------------------------------------------------------------------------------

    /** What the {@code odps} connector needs to find the table; credentials come from here. */
    private Map<String, String> tableOptions(String database, String table) {
        OdpsConnectionConfig config = connection;
        Map<String, String> tableOptions = new LinkedHashMap<>();
        tableOptions.put(FactoryUtil.CONNECTOR.key(), OdpsDynamicTableFactory.IDENTIFIER);
        tableOptions.put(OdpsConnectorOptions.ENDPOINT.key(), config.endpoint());
        config.tunnelEndpoint()
                .ifPresent(e -> tableOptions.put(OdpsConnectorOptions.TUNNEL_ENDPOINT.key(), e));
        tableOptions.put(OdpsConnectorOptions.PROJECT.key(), client().projectName());
        if (client().usesSchemas()) {
            tableOptions.put(OdpsConnectorOptions.SCHEMA.key(), database);
        }
        tableOptions.put(OdpsConnectorOptions.TABLE.key(), table);
        return tableOptions;
    }

    private Table loadTable(ObjectPath path) throws TableNotExistException {
        return client().table(path.getDatabaseName(), path.getObjectName())
                .orElseThrow(() -> new TableNotExistException(getName(), path));
    }

    private void requireDatabase(String database) throws DatabaseNotExistException {
        if (!databaseExists(database)) {
            throw new DatabaseNotExistException(getName(), database);
        }
    }

    private OdpsMetadataClient client() {
        if (client == null) {
            throw new CatalogException("The odps catalog '" + getName() + "' is not open.");
        }
        return client;
    }

    private DatabaseOperations databases() {
        client();
        return databases;
    }

    private PartitionOperations partitions() {
        client();
        return partitions;
    }

    private static boolean isView(Table table) {
        Table.TableType type = table.getType();
        return type == Table.TableType.VIRTUAL_VIEW || type == Table.TableType.MATERIALIZED_VIEW;
    }
}
