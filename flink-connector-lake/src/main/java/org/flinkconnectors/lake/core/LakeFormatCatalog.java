package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogTable;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One format's tables in a lake catalog's warehouse. Databases are the warehouse's directories; a
 * format whose catalog keeps its own namespaces (an Iceberg JDBC or REST catalog) adds them.
 */
@PublicEvolving
public interface LakeFormatCatalog extends Closeable {

    /** Databases the format's own catalog keeps beside the warehouse directories. */
    default List<String> databases() {
        return List.of();
    }

    default boolean databaseExists(String database) {
        return false;
    }

    /** Makes the database known to the format's own catalog too, if it keeps one. */
    default void createDatabase(String database) {}

    default void dropDatabase(String database) {}

    /** The database's tables of this format. */
    List<String> tables(String database) throws IOException;

    /** Whether the table exists as a table of this format. */
    boolean owns(String database, String table) throws IOException;

    /** The table's schema, key, partitions and connector options, for the catalog to show. */
    LakeTableDescription describe(String database, String table) throws IOException;

    /** Creates the table with the given table properties. */
    void create(
            String database,
            String table,
            ResolvedCatalogTable flinkTable,
            Map<String, String> properties)
            throws IOException;

    /** Appends nullable physical columns to the table's schema in one commit. */
    void addColumns(String database, String table, List<Column> columns) throws IOException;

    /** Drops the table with its data. */
    void drop(String database, String table) throws IOException;

    /** The distinct partition values of the table's current data files, by partition column. */
    Set<Map<String, String>> partitions(String database, String table) throws IOException;
}
