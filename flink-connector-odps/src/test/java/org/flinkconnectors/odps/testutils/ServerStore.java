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
    private final Map<String, ServerSchema> schemas = new ConcurrentHashMap<>();
    private final Set<String> twoTierProjects = ConcurrentHashMap.newKeySet();

    public void createProject(String project) {
        projects.putIfAbsent(key(project), project);
    }

    public boolean hasProject(String project) {
        return projects.containsKey(key(project));
    }

    public Set<String> projects() {
        return Set.copyOf(projects.values());
    }

    /**
     * Makes the project a two-tier one, as projects created before MaxCompute's schema model are:
     * it reports {@code odps.schema.model.enabled=false} and tables live in it directly.
     */
    public void disableSchemaModel(String project) {
        requireProject(project);
        twoTierProjects.add(key(project));
    }

    public boolean usesSchemaModel(String project) {
        return !twoTierProjects.contains(key(project));
    }

    /**
     * Creates a schema in a three-tier project.
     *
     * @throws IllegalStateException if the schema exists
     */
    public ServerSchema createSchema(String project, String schemaName, String comment) {
        requireProject(project);
        if (hasSchema(project, schemaName)) {
            throw new IllegalStateException(
                    "Schema " + project + "." + schemaName + " already exists.");
        }
        ServerSchema created = new ServerSchema(projects.get(key(project)), schemaName, comment);
        schemas.put(key(project) + "." + key(schemaName), created);
        return created;
    }

    /**
     * The schema, or {@code null}. Every project has the schema {@value #DEFAULT_SCHEMA}, and a
     * schema that tables were put in directly exists as well.
     */
    public ServerSchema schema(String project, String schemaName) {
        ServerSchema explicit = schemas.get(key(project) + "." + key(schemaOrDefault(schemaName)));
        if (explicit != null) {
            return explicit;
        }
        if (key(schemaOrDefault(schemaName)).equals(DEFAULT_SCHEMA)
                || !tables(project, schemaName).isEmpty()) {
            return new ServerSchema(projects.get(key(project)), schemaOrDefault(schemaName), null);
        }
        return null;
    }

    public boolean hasSchema(String project, String schemaName) {
        return hasProject(project) && schema(project, schemaName) != null;
    }

    /** The schema names of a project ordered by name, {@value #DEFAULT_SCHEMA} included. */
    public List<String> schemas(String project) {
        TreeMap<String, String> names = new TreeMap<>();
        names.put(DEFAULT_SCHEMA, DEFAULT_SCHEMA);
        String prefix = key(project) + ".";
        schemas.forEach(
                (k, v) -> {
                    if (k.startsWith(prefix)) {
                        names.put(key(v.name()), v.name());
                    }
                });
        tables.values().stream()
                .filter(t -> key(t.project()).equals(key(project)))
                .forEach(t -> names.putIfAbsent(key(t.schemaName()), t.schemaName()));
        return new ArrayList<>(names.values());
    }

    /**
     * Drops an empty schema.
     *
     * @return false if there is no such schema
     * @throws IllegalStateException for the default schema or one that still holds tables
     */
    public boolean dropSchema(String project, String schemaName) {
        if (!hasSchema(project, schemaName)) {
            return false;
        }
        if (key(schemaName).equals(DEFAULT_SCHEMA)) {
            throw new IllegalStateException("The default schema cannot be dropped.");
        }
        if (!tables(project, schemaName).isEmpty()) {
            throw new IllegalStateException(
                    "Schema " + project + "." + schemaName + " is not empty.");
        }
        schemas.remove(key(project) + "." + key(schemaName));
        return true;
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

    /**
     * Replaces the rows of a partition (created if missing), as {@code INSERT OVERWRITE} or an
     * overwriting upload does; its last modification time moves, its record count follows the rows.
     */
    public void overwrite(String project, String table, String partitionSpec, List<Record> rows) {
        requireTable(project, DEFAULT_SCHEMA, table).partitionOrCreate(partitionSpec).replace(rows);
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
