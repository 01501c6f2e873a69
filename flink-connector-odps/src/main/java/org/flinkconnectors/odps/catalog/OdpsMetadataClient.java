package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.client.OdpsTableClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.exceptions.CatalogException;

import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.Partition;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Project;
import com.aliyun.odps.Schema;
import com.aliyun.odps.Table;
import com.aliyun.odps.Tables;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The catalog's access to one MaxCompute project through the SDK: whether it uses schemas, and its
 * schemas, tables and partitions. An answer that the object does not exist becomes an empty result,
 * so that the catalog raises Flink's own exceptions; every other failure becomes a {@link
 * CatalogException} that says what was attempted on which object. The SDK retries reads itself with
 * the configured {@code client.*} settings.
 */
@Internal
final class OdpsMetadataClient {

    /** The project property that marks a three-tier (project.schema.table) project. */
    static final String SCHEMA_MODEL_PROPERTY = "odps.schema.model.enabled";

    private final String projectName;
    private final Odps odps;
    private final boolean usesSchemas;

    private OdpsMetadataClient(String projectName, Odps odps, boolean usesSchemas) {
        this.projectName = projectName;
        this.odps = odps;
        this.usesSchemas = usesSchemas;
    }

    /**
     * Loads the project, which checks endpoint, credentials and project at once.
     *
     * @throws ValidationException naming the endpoint, project and access id (never the key)
     */
    static OdpsMetadataClient connect(OdpsConnectionConfig config) {
        Odps odps = config.createOdps();
        Project project;
        try {
            project = odps.projects().get(config.project());
            project.reload();
        } catch (OdpsException | RuntimeException e) {
            throw new ValidationException(
                    String.format(
                            "Could not open MaxCompute project '%s' at '%s' with access id '%s': %s."
                                    + " Check the options 'endpoint', 'project', 'access-id' and"
                                    + " 'access-key' (or 'sts-token').",
                            config.project(),
                            config.endpoint(),
                            config.accessId(),
                            withoutFinalPeriod(message(e))));
        }
        if (!project.isExternalCatalogBound()) {
            // Otherwise the SDK loads the project again before every call to find this out.
            odps.options().setSkipCheckIfEpv2(true);
        }
        boolean usesSchemas = "true".equalsIgnoreCase(project.getProperty(SCHEMA_MODEL_PROPERTY));
        return new OdpsMetadataClient(project.getName(), odps, usesSchemas);
    }

    String projectName() {
        return projectName;
    }

    /** Whether the project has schemas (three-tier model) rather than tables directly. */
    boolean usesSchemas() {
        return usesSchemas;
    }

    List<String> schemaNames() {
        return call(
                "list the schemas of project " + projectName,
                () -> {
                    List<String> names = new ArrayList<>();
                    for (Schema schema : odps.schemas().iterable(projectName)) {
                        names.add(schema.getName());
                    }
                    return names;
                });
    }

    Optional<Schema> schema(String name) {
        return find(
                "load schema " + projectName + "." + name,
                () -> {
                    Schema schema = odps.schemas().get(projectName, name);
                    schema.reload();
                    return schema;
                });
    }

    void createSchema(String name, @Nullable String comment) {
        call(
                "create schema " + projectName + "." + name,
                () -> {
                    odps.schemas().create(projectName, name, comment, false);
                    return null;
                });
    }

    void dropSchema(String name) {
        call(
                "drop schema " + projectName + "." + name,
                () -> {
                    odps.schemas().delete(projectName, name);
                    return null;
                });
    }

    /** The tables (views included) of a database, with their type but not yet their schema. */
    List<Table> tables(String database) {
        return call(
                "list the tables of " + path(database, null),
                () -> {
                    List<Table> tables = new ArrayList<>();
                    odps.tables()
                            .iterable(projectName, sdkSchema(database), null, false)
                            .forEach(tables::add);
                    return tables;
                });
    }

    /** The table with its schema loaded, or empty if it (or its database) does not exist. */
    Optional<Table> table(String database, String name) {
        return find(
                "load table " + path(database, name),
                () -> {
                    Table table = odps.tables().get(projectName, sdkSchema(database), name);
                    table.reload();
                    return table;
                });
    }

    void createTable(String database, String name, OdpsTableDefinition definition) {
        Tables.TableCreator creator =
                odps.tables()
                        .newTableCreator(projectName, name, definition.schema())
                        .withSchemaName(sdkSchema(database))
                        .withComment(definition.comment());
        if (!definition.primaryKey().isEmpty()) {
            creator.deltaTable().withPrimaryKeys(definition.primaryKey());
        }
        call(
                "create table " + path(database, name),
                () -> {
                    creator.create();
                    return null;
                });
    }

    void dropTable(String database, String name) {
        call(
                "drop table " + path(database, name),
                () -> {
                    odps.tables().delete(projectName, sdkSchema(database), name, true);
                    return null;
                });
    }

    /** The partitions whose leading partition values are those of {@code prefix} (all if empty). */
    List<Partition> partitions(Table table, PartitionSpec prefix) {
        return call(
                "list the partitions of table " + path(table),
                () -> {
                    List<Partition> partitions = new ArrayList<>();
                    Iterator<Partition> it =
                            table.getPartitionIterator(prefix.isEmpty() ? null : prefix);
                    it.forEachRemaining(partitions::add);
                    return partitions;
                });
    }

    /** The partition with its metadata (row count, size) loaded, or empty. */
    Optional<Partition> partition(Table table, PartitionSpec spec) {
        return find(
                "load partition " + spec + " of table " + path(table),
                () -> {
                    Partition partition = table.getPartition(spec);
                    partition.reload();
                    return partition;
                });
    }

    void createPartition(Table table, PartitionSpec spec, boolean ifNotExists) {
        call(
                "create partition " + spec + " of table " + path(table),
                () -> {
                    table.createPartition(spec, ifNotExists);
                    return null;
                });
    }

    void dropPartition(Table table, PartitionSpec spec) {
        call(
                "drop partition " + spec + " of table " + path(table),
                () -> {
                    table.deletePartition(spec, true);
                    return null;
                });
    }

    /** {@code project.schema.table} (or {@code project.table} without schemas), for messages. */
    String path(String database, @Nullable String table) {
        return projectName
                + (usesSchemas ? "." + database : "")
                + (table == null ? "" : "." + table);
    }

    String path(Table table) {
        return path(table.getSchemaName(), table.getName());
    }

    /** The SDK's schema argument: the database, or none in a project without schemas. */
    @Nullable
    private String sdkSchema(String database) {
        return usesSchemas ? database : null;
    }

    private static <T> T call(String action, SdkCall<T> call) {
        try {
            return call.run();
        } catch (OdpsException | RuntimeException e) {
            throw new CatalogException("Could not " + action + ": " + message(e), e);
        }
    }

    private static <T> Optional<T> find(String action, SdkCall<T> call) {
        try {
            return Optional.of(call.run());
        } catch (OdpsException | RuntimeException e) {
            if (OdpsTableClient.isNotFound(e)) {
                return Optional.empty();
            }
            throw new CatalogException("Could not " + action + ": " + message(e), e);
        }
    }

    private static String withoutFinalPeriod(String message) {
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    private static String message(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return error.getClass().getSimpleName();
    }

    /** One SDK call. */
    @FunctionalInterface
    private interface SdkCall<T> {
        T run() throws OdpsException;
    }
}
