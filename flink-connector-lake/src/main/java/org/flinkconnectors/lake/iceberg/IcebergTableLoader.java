package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeHadoopConf;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.hadoop.HadoopCatalog;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Loads an Iceberg table from a Hadoop catalog: a warehouse directory on any Hadoop file system
 * (the local file system included), with tables at {@code <warehouse>/<database>/<table>}.
 *
 * <p>Holds only strings, so it is serializable; the Hadoop configuration is built from the given
 * properties on each load.
 */
@PublicEvolving
public final class IcebergTableLoader implements LakeTableLoader {

    private static final long serialVersionUID = 1L;

    private final String warehouse;
    private final String database;
    private final String table;
    private final Map<String, String> hadoopProperties;

    private IcebergTableLoader(
            String warehouse, String database, String table, Map<String, String> hadoopProps) {
        this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
        this.database = Objects.requireNonNull(database, "database");
        this.table = Objects.requireNonNull(table, "table");
        this.hadoopProperties = Map.copyOf(hadoopProps);
    }

    /** A table of a Hadoop catalog with the default Hadoop configuration. */
    public static IcebergTableLoader hadoop(String warehouse, String database, String table) {
        return hadoop(warehouse, database, table, Map.of());
    }

    /** A table of a Hadoop catalog; {@code hadoopProperties} are set on the configuration. */
    public static IcebergTableLoader hadoop(
            String warehouse, String database, String table, Map<String, String> hadoopProperties) {
        return new IcebergTableLoader(warehouse, database, table, hadoopProperties);
    }

    @Override
    public LakeTable load() throws IOException {
        Configuration conf = LakeHadoopConf.create(hadoopProperties);
        HadoopCatalog catalog = new HadoopCatalog(conf, warehouse);
        try {
            Table loaded = catalog.loadTable(TableIdentifier.of(database, table));
            return new IcebergLakeTable(loaded, describe(), catalog);
        } catch (NoSuchTableException e) {
            catalog.close();
            throw new IllegalArgumentException(
                    "Iceberg table "
                            + database
                            + "."
                            + table
                            + " does not exist in the warehouse "
                            + warehouse
                            + ".",
                    e);
        } catch (RuntimeException e) {
            catalog.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return "Iceberg table " + database + "." + table + " (hadoop catalog at " + warehouse + ")";
    }

    @Override
    public String toString() {
        // The Hadoop properties may hold credentials; they are never printed.
        return "IcebergTableLoader{" + describe() + '}';
    }
}
