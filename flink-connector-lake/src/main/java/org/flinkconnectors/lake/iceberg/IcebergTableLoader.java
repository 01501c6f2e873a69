package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeTableNotFoundException;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Loads an Iceberg table from an Iceberg catalog: a Hadoop catalog (a warehouse directory on any
 * Hadoop file system, the local one included, with tables at {@code
 * <warehouse>/<database>/<table>}), a JDBC catalog or a REST catalog, as {@link
 * IcebergCatalogConfig} describes it.
 *
 * <p>Holds only strings, so it is serializable; each load opens a new catalog client, which the
 * loaded table closes. Catalog secrets are never printed.
 */
@PublicEvolving
public final class IcebergTableLoader implements LakeTableLoader {

    private static final long serialVersionUID = 2L;

    private final IcebergCatalogConfig catalog;
    private final String database;
    private final String table;

    private IcebergTableLoader(IcebergCatalogConfig catalog, String database, String table) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.database = Objects.requireNonNull(database, "database");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** A table of a Hadoop catalog with the default Hadoop configuration. */
    public static IcebergTableLoader hadoop(String warehouse, String database, String table) {
        return hadoop(warehouse, database, table, Map.of());
    }

    /** A table of a Hadoop catalog; {@code hadoopProperties} are set on the configuration. */
    public static IcebergTableLoader hadoop(
            String warehouse, String database, String table, Map<String, String> hadoopProperties) {
        return of(
                IcebergCatalogConfig.hadoop(warehouse).withHadoopProperties(hadoopProperties),
                database,
                table);
    }

    /** A table of any Iceberg catalog the lake connector opens (hadoop, jdbc, rest). */
    public static IcebergTableLoader of(
            IcebergCatalogConfig catalog, String database, String table) {
        return new IcebergTableLoader(catalog, database, table);
    }

    /** The catalog the table is in. */
    public IcebergCatalogConfig catalog() {
        return catalog;
    }

    /** The table's identifier in its catalog. */
    public TableIdentifier identifier() {
        return TableIdentifier.of(database, table);
    }

    @Override
    public LakeTable load() throws IOException {
        Catalog opened = catalog.open();
        try {
            Table loaded = opened.loadTable(identifier());
            return new IcebergLakeTable(loaded, describe(), closer(opened));
        } catch (NoSuchTableException e) {
            closer(opened).close();
            throw new LakeTableNotFoundException(
                    "Iceberg table "
                            + database
                            + "."
                            + table
                            + " does not exist in the "
                            + catalog.describe()
                            + ".",
                    e);
        } catch (RuntimeException e) {
            closer(opened).close();
            throw e;
        }
    }

    /** Iceberg's catalogs (Hadoop, JDBC, REST) are Closeable; the interface is not. */
    static Closeable closer(Catalog catalog) {
        return catalog instanceof Closeable closeable ? closeable : () -> {};
    }

    @Override
    public String describe() {
        return "Iceberg table " + database + "." + table + " (" + catalog.describe() + ")";
    }

    @Override
    public String toString() {
        // The catalog and Hadoop properties may hold credentials; they are never printed.
        return "IcebergTableLoader{" + describe() + '}';
    }
}
