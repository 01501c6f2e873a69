package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.type.TypeInfoParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the DDL MaxCompute clients send as SQL: CREATE TABLE [IF NOT EXISTS] ... [PRIMARY KEY]
 * [PARTITIONED BY], DROP TABLE [IF EXISTS], ALTER TABLE ADD/DROP [IF [NOT] EXISTS] PARTITION and
 * TRUNCATE TABLE [PARTITION]. Anything else fails like a semantic error would.
 */
final class SqlDdl {

    private final ServerStore store;

    SqlDdl(ServerStore store) {
        this.store = store;
    }

    /** Runs one statement and returns the text result MaxCompute would print. */
    String execute(String defaultProject, String defaultSchema, String sql) {
        SqlTokens tokens = new SqlTokens(sql.trim());
        String result;
        if (tokens.accept("CREATE", "TABLE")) {
            result = createTable(tokens, defaultProject, defaultSchema);
        } else if (tokens.accept("DROP", "TABLE")) {
            boolean ifExists = tokens.accept("IF", "EXISTS");
            Name name = Name.of(tokens.qualifiedName(), defaultProject, defaultSchema);
            if (!store.dropTable(name.project, name.schema, name.table) && !ifExists) {
                throw notFound(name);
            }
            result = "OK";
        } else if (tokens.accept("ALTER", "TABLE")) {
            result =
                    alterTable(
                            tokens, Name.of(tokens.qualifiedName(), defaultProject, defaultSchema));
        } else if (tokens.accept("TRUNCATE", "TABLE")) {
            result =
                    truncate(
                            tokens, Name.of(tokens.qualifiedName(), defaultProject, defaultSchema));
        } else {
            throw new IllegalArgumentException(
                    "ODPS-0130071:Semantic analysis exception - statement not supported by"
                            + " OdpsTestServer: "
                            + sql);
        }
        if (!tokens.atEnd()) {
            throw tokens.error("Unexpected '" + tokens.peek().text + "'");
        }
        return result;
    }

    private String createTable(SqlTokens tokens, String defaultProject, String defaultSchema) {
        boolean ifNotExists = tokens.accept("IF", "NOT", "EXISTS");
        Name name = Name.of(tokens.qualifiedName(), defaultProject, defaultSchema);
        TableSchema schema = new TableSchema();
        List<String> primaryKey = new ArrayList<>();
        tokens.expect("(");
        do {
            if (tokens.accept("PRIMARY", "KEY")) {
                tokens.expect("(");
                do {
                    primaryKey.add(tokens.next().text);
                } while (tokens.accept(","));
                tokens.expect(")");
            } else {
                schema.addColumn(column(tokens));
            }
        } while (tokens.accept(","));
        tokens.expect(")");
        String comment = null;
        while (!tokens.atEnd()) {
            if (tokens.accept("COMMENT")) {
                comment = tokens.next().text;
            } else if (tokens.accept("PARTITIONED", "BY")) {
                tokens.expect("(");
                do {
                    schema.addPartitionColumn(column(tokens));
                } while (tokens.accept(","));
                tokens.expect(")");
            } else if (tokens.accept("TBLPROPERTIES")) {
                skipParenthesized(tokens);
            } else if (tokens.accept("LIFECYCLE")) {
                tokens.next();
            } else {
                throw tokens.error("Unsupported clause '" + tokens.peek().text + "'");
            }
        }
        if (store.hasProject(name.project) && !store.hasSchema(name.project, name.schema)) {
            throw new IllegalArgumentException(
                    "ODPS-0110061:Failed to run ddltask - Schema not found - '"
                            + name.project
                            + "."
                            + ServerStore.schemaOrDefault(name.schema)
                            + "'");
        }
        if (store.table(name.project, name.schema, name.table) != null) {
            if (ifNotExists) {
                return "OK";
            }
            throw new IllegalArgumentException(
                    "ODPS-0110061:Failed to run ddltask - Table or view already exists - '"
                            + name
                            + "'");
        }
        store.createTable(name.project, name.schema, name.table, schema, primaryKey, comment);
        return "OK";
    }

    private static Column column(SqlTokens tokens) {
        String columnName = tokens.next().text;
        String type = tokens.typeString();
        Boolean nullable = null;
        String defaultValue = null;
        String comment = null;
        while (true) {
            if (tokens.accept("NOT", "NULL")) {
                nullable = false;
            } else if (tokens.accept("NULL")) {
                nullable = true;
            } else if (tokens.accept("DEFAULT")) {
                defaultValue = tokens.next().text;
            } else if (tokens.accept("COMMENT")) {
                comment = tokens.next().text;
            } else {
                break;
            }
        }
        Column column =
                new Column(columnName, TypeInfoParser.getTypeInfoFromTypeString(type), comment);
        if (nullable != null) {
            column.setNullable(nullable);
        }
        if (defaultValue != null) {
            column.setDefaultValue(defaultValue);
        }
        return column;
    }

    private String alterTable(SqlTokens tokens, Name name) {
        ServerTable table = requireTable(name);
        if (tokens.accept("ADD")) {
            boolean ifNotExists = tokens.accept("IF", "NOT", "EXISTS");
            for (String spec : partitionSpecs(tokens, table)) {
                if (table.partition(spec) != null && !ifNotExists) {
                    throw new IllegalArgumentException(
                            "ODPS-0130111:Partition already exists - '" + spec + "'");
                }
                table.partitionOrCreate(spec);
            }
            return "OK";
        }
        if (tokens.accept("DROP")) {
            boolean ifExists = tokens.accept("IF", "EXISTS");
            for (String spec : partitionSpecs(tokens, table)) {
                if (!table.dropPartition(spec) && !ifExists) {
                    throw new IllegalArgumentException(
                            "ODPS-0130161:Partition not found - '" + spec + "'");
                }
            }
            return "OK";
        }
        throw tokens.error("Unsupported ALTER TABLE '" + tokens.peek().text + "'");
    }

    private String truncate(SqlTokens tokens, Name name) {
        ServerTable table = requireTable(name);
        if (tokens.peek().is("PARTITION")) {
            for (String spec : partitionSpecs(tokens, table)) {
                ServerPartition partition = table.partition(spec);
                if (partition != null) {
                    partition.replace(List.of());
                }
            }
        } else {
            table.partitions().forEach(p -> p.replace(List.of()));
        }
        return "OK";
    }

    private static List<String> partitionSpecs(SqlTokens tokens, ServerTable table) {
        List<String> specs = new ArrayList<>();
        do {
            tokens.expect("PARTITION");
            tokens.expect("(");
            Map<String, String> values = new LinkedHashMap<>();
            do {
                String key = tokens.next().text;
                tokens.expect("=");
                values.put(key, tokens.next().text);
            } while (tokens.accept(","));
            tokens.expect(")");
            StringBuilder spec = new StringBuilder();
            values.forEach(
                    (k, v) ->
                            spec.append(spec.length() == 0 ? "" : ",")
                                    .append(k)
                                    .append('=')
                                    .append(v));
            specs.add(table.canonicalSpec(spec.toString()));
        } while (tokens.accept(",") || tokens.peek().is("PARTITION"));
        return specs;
    }

    private static void skipParenthesized(SqlTokens tokens) {
        tokens.expect("(");
        int depth = 1;
        while (depth > 0) {
            String text = tokens.next().toString();
            if (text.equals("(")) {
                depth++;
            } else if (text.equals(")")) {
                depth--;
            }
        }
    }

    private ServerTable requireTable(Name name) {
        ServerTable table = store.table(name.project, name.schema, name.table);
        if (table == null) {
            throw notFound(name);
        }
        return table;
    }

    private static IllegalArgumentException notFound(Name name) {
        return new IllegalArgumentException("ODPS-0130131:Table not found - '" + name + "'");
    }

    /** A table name resolved against the session's project and schema. */
    private static final class Name {
        final String project;
        final String schema;
        final String table;

        Name(String project, String schema, String table) {
            this.project = project;
            this.schema = schema;
            this.table = table;
        }

        static Name of(List<String> parts, String defaultProject, String defaultSchema) {
            switch (parts.size()) {
                case 1:
                    return new Name(defaultProject, defaultSchema, parts.get(0));
                case 2:
                    return new Name(parts.get(0), defaultSchema, parts.get(1));
                case 3:
                    return new Name(parts.get(0), parts.get(1), parts.get(2));
                default:
                    throw new IllegalArgumentException("Invalid table name " + parts);
            }
        }

        @Override
        public String toString() {
            return project + "." + ServerStore.schemaOrDefault(schema) + "." + table;
        }
    }
}
