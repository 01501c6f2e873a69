package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.Internal;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories of a lake catalog's warehouse: databases are its child directories, tables live
 * at {@code <warehouse>/<database>/<table>}.
 */
@Internal
public final class LakeWarehouseFiles {

    private final String location;
    private final Configuration conf = LakeHadoopConf.create();
    private final Path root;
    private final FileSystem fs;

    public LakeWarehouseFiles(String location) throws IOException {
        this.location = location;
        this.root = new Path(location);
        this.fs = root.getFileSystem(conf);
        fs.mkdirs(root);
    }

    /** The warehouse as the user gave it. */
    public String location() {
        return location;
    }

    public Configuration conf() {
        return conf;
    }

    public List<String> databaseDirectories() throws IOException {
        return childDirectories(root);
    }

    public boolean databaseDirectoryExists(String database) throws IOException {
        return fs.isDirectory(new Path(root, database));
    }

    public void createDatabaseDirectory(String database) throws IOException {
        fs.mkdirs(new Path(root, database));
    }

    /** Whether the database directory is missing or holds no file at all. */
    public boolean databaseDirectoryEmpty(String database) throws IOException {
        Path directory = new Path(root, database);
        return !fs.isDirectory(directory) || fs.listStatus(directory).length == 0;
    }

    public void deleteDatabaseDirectory(String database) throws IOException {
        fs.delete(new Path(root, database), true);
    }

    /** The directories of the database that may be tables, sorted by name. */
    public List<String> tableDirectories(String database) throws IOException {
        Path directory = new Path(root, database);
        return fs.isDirectory(directory) ? childDirectories(directory) : List.of();
    }

    /** Whether the table directory has a child directory of this name. */
    public boolean tableHasDirectory(String database, String table, String child)
            throws IOException {
        return fs.isDirectory(new Path(tableDirectory(database, table), child));
    }

    /** The table directory, fully qualified. */
    public String tablePath(String database, String table) {
        return fs.makeQualified(tableDirectory(database, table)).toString();
    }

    public void deleteTableDirectory(String database, String table) throws IOException {
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
}
