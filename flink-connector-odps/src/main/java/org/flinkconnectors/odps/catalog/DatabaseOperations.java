package org.flinkconnectors.odps.catalog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;

import com.aliyun.odps.Table;

import javax.annotation.Nullable;

import java.util.List;
import java.util.Map;

import static org.flinkconnectors.odps.catalog.OdpsCatalogOptions.DEFAULT_SCHEMA;

/**
 * The database part of the {@link OdpsCatalog}: the schemas of a three-tier project are its
 * databases; a two-tier project (without schemas) has the single database {@value
 * OdpsCatalogOptions#DEFAULT_SCHEMA}, which stands for the project itself. MaxCompute schemas have
 * a comment but no properties.
 */
@Internal
final class DatabaseOperations {

    private final String catalogName;
    private final OdpsMetadataClient client;

    DatabaseOperations(String catalogName, OdpsMetadataClient client) {
        this.catalogName = catalogName;
        this.client = client;
    }

    List<String> list() {
        return client.usesSchemas() ? client.schemaNames() : List.of(DEFAULT_SCHEMA);
    }

    CatalogDatabase get(String name) throws DatabaseNotExistException {
        if (!client.usesSchemas()) {
            if (isDefault(name)) {
                return new CatalogDatabaseImpl(Map.of(), null);
            }
            throw new DatabaseNotExistException(catalogName, name);
        }
        String comment =
                client.schema(name)
                        .orElseThrow(() -> new DatabaseNotExistException(catalogName, name))
                        .getComment();
        return new CatalogDatabaseImpl(Map.of(), blankToNull(comment));
    }

    boolean exists(String name) {
        return client.usesSchemas() ? client.schema(name).isPresent() : isDefault(name);
    }

    void create(String name, CatalogDatabase database, boolean ignoreIfExists)
            throws DatabaseAlreadyExistException {
        if (exists(name)) {
            if (ignoreIfExists) {
                return;
            }
            throw new DatabaseAlreadyExistException(catalogName, name);
        }
        if (!client.usesSchemas()) {
            throw new CatalogException(
                    String.format(
                            "MaxCompute project '%s' does not use schemas (two-tier model): its"
                                    + " single database is '%s' and no other can be created.",
                            client.projectName(), DEFAULT_SCHEMA));
        }
        if (!database.getProperties().isEmpty()) {
            throw new CatalogException(
                    String.format(
                            "MaxCompute schemas have no properties; create database '%s' without"
                                    + " %s.",
                            name, database.getProperties().keySet()));
        }
        client.createSchema(name, blankToNull(database.getComment()));
    }

    /** Drops a schema; with {@code cascade} its tables first. The default schema stays. */
    void drop(String name, boolean ignoreIfNotExists, boolean cascade)
            throws DatabaseNotExistException, DatabaseNotEmptyException {
        if (!exists(name)) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new DatabaseNotExistException(catalogName, name);
        }
        if (isDefault(name)) {
            throw new CatalogException(
                    String.format(
                            "The database '%s' is the default schema of MaxCompute project '%s'"
                                    + " and cannot be dropped.",
                            DEFAULT_SCHEMA, client.projectName()));
        }
        List<Table> tables = client.tables(name);
        if (!tables.isEmpty() && !cascade) {
            throw new DatabaseNotEmptyException(catalogName, name);
        }
        for (Table table : tables) {
            client.dropTable(name, table.getName());
        }
        client.dropSchema(name);
    }

    private static boolean isDefault(String database) {
        return DEFAULT_SCHEMA.equalsIgnoreCase(database);
    }

    @Nullable
    private static String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
