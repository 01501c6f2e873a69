package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeFormatCatalog;
import org.flinkconnectors.lake.core.LakeFormats;
import org.flinkconnectors.lake.core.LakeWarehouseFiles;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The tables of a lake warehouse: databases are its directories (and the namespaces of a format's
 * own catalog, e.g. an Iceberg JDBC or REST catalog); each format says which tables are its own.
 */
@Internal
final class LakeWarehouse implements AutoCloseable {

    private final LakeWarehouseFiles files;
    private final Map<LakeFormat, LakeFormatCatalog> formats = new LinkedHashMap<>();

    LakeWarehouse(String location, ReadableConfig catalogOptions) throws IOException {
        this.files = new LakeWarehouseFiles(location);
        try {
            for (LakeFormat format : LakeFormats.all()) {
                formats.put(format, format.openCatalog(catalogOptions, files));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    List<String> databases() throws IOException {
        TreeSet<String> databases = new TreeSet<>(files.databaseDirectories());
        for (LakeFormatCatalog catalog : formats.values()) {
            databases.addAll(catalog.databases());
        }
        return new ArrayList<>(databases);
    }

    boolean databaseExists(String database) throws IOException {
        if (files.databaseDirectoryExists(database)) {
            return true;
        }
        return formats.values().stream().anyMatch(catalog -> catalog.databaseExists(database));
    }

    void createDatabase(String database) throws IOException {
        files.createDatabaseDirectory(database);
        formats.values().forEach(catalog -> catalog.createDatabase(database));
    }

    boolean isEmpty(String database) throws IOException {
        return files.databaseDirectoryEmpty(database) && tables(database).isEmpty();
    }

    /** Deletes the database with all its tables, each through its format. */
    void deleteDatabase(String database) throws IOException {
        for (String table : tables(database)) {
            deleteTable(database, table);
        }
        formats.values().forEach(catalog -> catalog.dropDatabase(database));
        files.deleteDatabaseDirectory(database);
    }

    /** The database's tables of every format; other directories are not tables. */
    List<String> tables(String database) throws IOException {
        TreeSet<String> tables = new TreeSet<>();
        for (LakeFormatCatalog catalog : formats.values()) {
            tables.addAll(catalog.tables(database));
        }
        return new ArrayList<>(tables);
    }

    /** The format that owns the table; the first registered one if two would. */
    Optional<LakeFormat> format(String database, String table) throws IOException {
        for (Map.Entry<LakeFormat, LakeFormatCatalog> format : formats.entrySet()) {
            if (format.getValue().owns(database, table)) {
                return Optional.of(format.getKey());
            }
        }
        return Optional.empty();
    }

    LakeFormatCatalog catalogOf(LakeFormat format) {
        return formats.get(format);
    }

    /** Drops a table with its data, as Iceberg's Hadoop catalog does. */
    void deleteTable(String database, String table) throws IOException {
        Optional<LakeFormat> format = format(database, table);
        if (format.isPresent()) {
            catalogOf(format.get()).drop(database, table);
        } else {
            files.deleteTableDirectory(database, table);
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (LakeFormatCatalog catalog : formats.values()) {
            try {
                catalog.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
