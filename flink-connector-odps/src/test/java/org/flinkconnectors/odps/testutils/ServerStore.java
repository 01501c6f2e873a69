package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory metadata and data of an {@link OdpsTestServer}: projects, schemas, tables,
 * partitions and rows. Names are case-insensitive, as in MaxCompute. Tests use it to seed data and
 * to check what the connector committed without going through the connector.
 */
public final class ServerStore {

    public static final String DEFAULT_SCHEMA = "default";

    private final Map<String, String> projects = new ConcurrentHashMap<>();
    private final Map<String, ServerTable> tables = new ConcurrentHashMap<>();

    public void createProject(String project) {
        projects.putIfAbsent(key(project), project);
    }

    public boolean hasProject(String project) {
        return projects.containsKey(key(project));
    }

    public Set<String> projects() {
        return Set.copyOf(projects.values());
    }

    /** Creates a table in the default schema. */
    public ServerTable createTable(String project, String table, TableSchema schema) {
        return createTable(project, DEFAULT_SCHEMA, table, schema, List.of(), null);
    }

    /**
     * Creates a table; a non-empty primary key makes it a transactional (upsert) table.
     *
     * @throws IllegalStateException if the table exists
     */
    public ServerTable createTable(
            String project,
            String schemaName,
            String table,
            TableSchema schema,
            List<String> primaryKey,
            String comment) {
        requireProject(project);
        ServerTable created =
                new ServerTable(
                        projects.get(key(project)),
                        schemaOrDefault(schemaName),
                        table,
                        schema,
                        primaryKey,
                        comment);
        if (tables.putIfAbsent(tableKey(project, schemaName, table), created) != null) {
            throw new IllegalStateException("Table " + project + "." + table + " already exists.");
        }
        return created;
    }

    /** The table or {@code null}. */
    public ServerTable table(String project, String schemaName, String table) {
        return tables.get(tableKey(project, schemaName, table));
    }

    public ServerTable table(String project, String table) {
        return table(project, DEFAULT_SCHEMA, table);
    }

    public boolean dropTable(String project, String schemaName, String table) {
        return tables.remove(tableKey(project, schemaName, table)) != null;
    }

    /** Tables of a project schema ordered by name. */
    public List<ServerTable> tables(String project, String schemaName) {
        String prefix = key(project) + "." + key(schemaOrDefault(schemaName)) + ".";
        TreeMap<String, ServerTable> sorted = new TreeMap<>();
        tables.forEach(
                (k, v) -> {
                    if (k.startsWith(prefix)) {
                        sorted.put(k, v);
                    }
                });
        return new ArrayList<>(sorted.values());
    }

    /** Appends committed rows to a partition (created if missing), as an upload commit does. */
    public void append(String project, String table, String partitionSpec, List<Record> rows) {
        requireTable(project, DEFAULT_SCHEMA, table).partitionOrCreate(partitionSpec).append(rows);
    }

    /** The committed rows of a partition ({@code ""} for an unpartitioned table). */
    public List<Record> rows(String project, String table, String partitionSpec) {
        ServerPartition partition =
                requireTable(project, DEFAULT_SCHEMA, table).partition(partitionSpec);
        return partition == null ? List.of() : partition.rows();
    }

    ServerTable requireTable(String project, String schemaName, String table) {
        ServerTable found = table(project, schemaName, table);
        if (found == null) {
            throw new IllegalArgumentException("No table " + project + "." + table);
        }
        return found;
    }

    private void requireProject(String project) {
        if (!hasProject(project)) {
            throw new IllegalArgumentException("No project " + project);
        }
    }

    static String schemaOrDefault(String schemaName) {
        return schemaName == null || schemaName.isBlank() ? DEFAULT_SCHEMA : schemaName;
    }

    private static String tableKey(String project, String schemaName, String table) {
        return key(project) + "." + key(schemaOrDefault(schemaName)) + "." + key(table);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
