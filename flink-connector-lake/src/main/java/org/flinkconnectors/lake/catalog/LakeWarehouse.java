package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.core.LakeHadoopConf;
import org.flinkconnectors.lake.iceberg.IcebergCatalogConfig;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;

import org.apache.flink.annotation.Internal;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The tables of a lake warehouse: databases are directories (and, for a {@code jdbc} or {@code
 * rest} Iceberg catalog, that catalog's namespaces too); a table directory below one is a Delta
 * table if it has a {@code _delta_log}. Iceberg tables are the Iceberg catalog's: for a {@code
 * hadoop} catalog, directories with a {@code metadata} directory; otherwise what the JDBC or REST
 * catalog lists.
 */
@Internal
final class LakeWarehouse implements AutoCloseable {

    private final String warehouse;
    private final Configuration conf = LakeHadoopConf.create();
    private final Path root;
    private final FileSystem fs;
    private final IcebergCatalogConfig icebergConfig;
    private final Catalog icebergCatalog;

    LakeWarehouse(String warehouse, IcebergCatalogConfig iceberg) throws IOException {
        this.warehouse = warehouse;
        this.root = new Path(warehouse);
        this.fs = root.getFileSystem(conf);
        fs.mkdirs(root);
        this.icebergConfig = iceberg;
        this.icebergCatalog = iceberg.open();
    }

    /** The warehouse as the user gave it: the Iceberg tables' {@code warehouse} option. */
    String location() {
        return warehouse;
    }

    Catalog iceberg() {
        return icebergCatalog;
    }

    /** The Iceberg catalog's settings, for the options of the tables the catalog describes. */
    IcebergCatalogConfig icebergConfig() {
        return icebergConfig;
    }

    /** A JDBC or REST catalog keeps its own namespaces; a Hadoop catalog's are directories. */
    private Optional<SupportsNamespaces> namespaces() {
        return !icebergConfig.type().equals(IcebergCatalogConfig.HADOOP)
                        && icebergCatalog instanceof SupportsNamespaces namespaces
                ? Optional.of(namespaces)
                : Optional.empty();
    }

    List<String> databases() throws IOException {
        TreeSet<String> databases = new TreeSet<>(childDirectories(root));
        namespaces()
                .ifPresent(
                        ns ->
                                ns.listNamespaces().stream()
                                        .filter(n -> n.length() == 1)
                                        .forEach(n -> databases.add(n.level(0))));
        return new ArrayList<>(databases);
    }

    boolean databaseExists(String database) throws IOException {
        return fs.isDirectory(new Path(root, database))
                || namespaces().map(ns -> ns.namespaceExists(Namespace.of(database))).orElse(false);
    }

    void createDatabase(String database) throws IOException {
        fs.mkdirs(new Path(root, database));
        Optional<SupportsNamespaces> namespaces = namespaces();
        if (namespaces.isPresent() && !namespaces.get().namespaceExists(Namespace.of(database))) {
            namespaces.get().createNamespace(Namespace.of(database));
        }
    }

    boolean isEmpty(String database) throws IOException {
        Path directory = new Path(root, database);
        boolean noFiles = !fs.isDirectory(directory) || fs.listStatus(directory).length == 0;
        return noFiles && tables(database).isEmpty();
    }

    /** Deletes the database with all its tables, Iceberg tables through the Iceberg catalog. */
    void deleteDatabase(String database) throws IOException {
        for (String table : tables(database)) {
            deleteTable(database, table);
        }
        Optional<SupportsNamespaces> namespaces = namespaces();
        if (namespaces.isPresent() && namespaces.get().namespaceExists(Namespace.of(database))) {
            namespaces.get().dropNamespace(Namespace.of(database));
        }
        fs.delete(new Path(root, database), true);
    }

    /** The database's Iceberg and Delta tables; other directories are not tables. */
    List<String> tables(String database) throws IOException {
        TreeSet<String> tables = new TreeSet<>();
        Path directory = new Path(root, database);
        if (fs.isDirectory(directory)) {
            for (String name : childDirectories(directory)) {
                if (format(database, name).isPresent()) {
                    tables.add(name);
                }
            }
        }
        Optional<SupportsNamespaces> namespaces = namespaces();
        if (namespaces.isPresent() && namespaces.get().namespaceExists(Namespace.of(database))) {
            icebergCatalog.listTables(Namespace.of(database)).forEach(id -> tables.add(id.name()));
        }
        return new ArrayList<>(tables);
    }

    Optional<TableFormat> format(String database, String table) throws IOException {
        Path directory = tableDirectory(database, table);
        if (fs.isDirectory(new Path(directory, "_delta_log"))) {
            return Optional.of(TableFormat.DELTA);
        }
        boolean iceberg =
                namespaces().isPresent()
                        ? icebergCatalog.tableExists(TableIdentifier.of(database, table))
                        : fs.isDirectory(new Path(directory, "metadata"));
        return iceberg ? Optional.of(TableFormat.ICEBERG) : Optional.empty();
    }

    /** The table directory, fully qualified: the Delta tables' {@code path} option. */
    String tablePath(String database, String table) {
        return fs.makeQualified(tableDirectory(database, table)).toString();
    }

    /** Drops a table with its data, as Iceberg's Hadoop catalog does. */
    void deleteTable(String database, String table) throws IOException {
        if (namespaces().isPresent()
                && format(database, table).orElse(null) == TableFormat.ICEBERG) {
            icebergCatalog.dropTable(TableIdentifier.of(database, table), true);
        }
        fs.delete(tableDirectory(database, table), true);
    }

    private Path tableDirectory(String database, String table) {
        return new Path(new Path(root, database), table);
    }

    private List<String> childDirectories(Path parent) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus status : fs.listStatus(parent)) {
            String name = status.getPath().getName();
            // Hidden and Hadoop bookkeeping entries (".crc", "_SUCCESS") are not databases/tables.
            if (status.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) {
                names.add(name);
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    @Override
    public void close() throws IOException {
        if (icebergCatalog instanceof java.io.Closeable closeable) {
            closeable.close();
        }
    }
}
