package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.core.LakeHadoopConf;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;

import org.apache.flink.annotation.Internal;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.hadoop.HadoopCatalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directory layout of a lake warehouse: databases are directories, and a table directory below
 * one is an Iceberg table if it has a {@code metadata} directory (as Iceberg's Hadoop catalog
 * writes it) or a Delta table if it has a {@code _delta_log}.
 */
@Internal
final class LakeWarehouse implements AutoCloseable {

    private final String warehouse;
    private final Configuration conf = LakeHadoopConf.create();
    private final Path root;
    private final FileSystem fs;
    private final HadoopCatalog icebergCatalog;

    LakeWarehouse(String warehouse) throws IOException {
        this.warehouse = warehouse;
        this.root = new Path(warehouse);
        this.fs = root.getFileSystem(conf);
        fs.mkdirs(root);
        this.icebergCatalog = new HadoopCatalog(conf, warehouse);
    }

    /** The warehouse as the user gave it: the Iceberg tables' {@code warehouse} option. */
    String location() {
        return warehouse;
    }

    HadoopCatalog iceberg() {
        return icebergCatalog;
    }

    List<String> databases() throws IOException {
        return childDirectories(root);
    }

    boolean databaseExists(String database) throws IOException {
        return fs.isDirectory(new Path(root, database));
    }

    void createDatabase(String database) throws IOException {
        fs.mkdirs(new Path(root, database));
    }

    boolean isEmpty(String database) throws IOException {
        return fs.listStatus(new Path(root, database)).length == 0;
    }

    void deleteDatabase(String database) throws IOException {
        fs.delete(new Path(root, database), true);
    }

    /** The database's Iceberg and Delta tables; other directories are not tables. */
    List<String> tables(String database) throws IOException {
        List<String> tables = new ArrayList<>();
        for (String name : childDirectories(new Path(root, database))) {
            if (format(database, name).isPresent()) {
                tables.add(name);
            }
        }
        return tables;
    }

    Optional<TableFormat> format(String database, String table) throws IOException {
        Path directory = tableDirectory(database, table);
        if (fs.isDirectory(new Path(directory, "_delta_log"))) {
            return Optional.of(TableFormat.DELTA);
        } else if (fs.isDirectory(new Path(directory, "metadata"))) {
            return Optional.of(TableFormat.ICEBERG);
        }
        return Optional.empty();
    }

    /** The table directory, fully qualified: the Delta tables' {@code path} option. */
    String tablePath(String database, String table) {
        return fs.makeQualified(tableDirectory(database, table)).toString();
    }

    void deleteTable(String database, String table) throws IOException {
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
        icebergCatalog.close();
    }
}
