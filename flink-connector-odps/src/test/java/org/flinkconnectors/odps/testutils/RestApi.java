package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The metadata part of the MaxCompute REST API the SDK uses: projects, the tunnel endpoint, schemas
 * ({@link SchemasApi}), tables, partitions and SQL instances (which run the DDL through {@link
 * SqlInstances}).
 */
final class RestApi {

    private final ServerStore store;
    private final SqlInstances instances;
    private final SchemasApi schemas;
    private final String tunnelAddress;

    RestApi(ServerStore store, SqlInstances instances, String tunnelAddress) {
        this.store = store;
        this.instances = instances;
        this.schemas = new SchemasApi(store);
        this.tunnelAddress = tunnelAddress;
    }

    ServerResponse handle(ServerRequest request) throws Exception {
        List<String> path = request.segments();
        if (path.size() < 2 || !path.get(0).equals("projects")) {
            throw ServerException.notFound(
                    "NoSuchObject", "Unknown resource " + request.resource());
        }
        String project = path.get(1);
        if (!store.hasProject(project)) {
            throw ServerException.notFound(
                    "NoSuchProject", "ODPS-0420111:Project not found - '" + project + "'.");
        }
        if (path.size() == 2) {
            return projectXml(project);
        }
        String kind = path.get(2);
        if (kind.equals("tunnel") && request.has("service")) {
            return ServerResponse.text(200, tunnelAddress);
        }
        if (kind.equals("instances")) {
            return instances.handle(request, project, path.size() > 3 ? path.get(3) : null);
        }
        if (kind.equals("schemas") && path.size() <= 4) {
            return schemas.handle(request, project, path.size() == 4 ? path.get(3) : null);
        }
        if (kind.equals("tables")) {
            String schema = request.param("curr_schema");
            if (path.size() == 3) {
                if (!store.hasSchema(project, schema)) {
                    throw ServerException.notFound(
                            "NoSuchObject",
                            "ODPS-0110061:Schema not found - '" + project + "." + schema + "'.");
                }
                return tablesXml(project, schema);
            }
            ServerTable table = requireTable(store, project, schema, path.get(3));
            if (request.has("partitions")) {
                return partitionsXml(table, request);
            }
            if (request.has("partition")) {
                return partitionXml(table, request.param("partition"));
            }
            return tableXml(table);
        }
        throw ServerException.notFound("NoSuchObject", "Unknown resource " + request.resource());
    }

    static ServerTable requireTable(ServerStore store, String project, String schema, String name) {
        ServerTable table = store.table(project, schema, name);
        if (table == null) {
            throw ServerException.notFound(
                    "NoSuchObject",
                    "ODPS-0130131:Table not found - '"
                            + project
                            + "."
                            + ServerStore.schemaOrDefault(schema)
                            + "."
                            + name
                            + "'.");
        }
        return table;
    }

    private ServerResponse projectXml(String project) {
        String xml =
                "<Project><Name>"
                        + Xml.escape(project)
                        + "</Name><Type>managed</Type><Comment></Comment><Owner>ALIYUN$test</Owner>"
                        + "<State>AVAILABLE</State><Properties>"
                        + "<Property><Name>odps.schema.model.enabled</Name><Value>"
                        + store.usesSchemaModel(project)
                        + "</Value></Property></Properties></Project>";
        return ServerResponse.xml(200, xml)
                .header("x-odps-owner", "ALIYUN$test")
                .header("x-odps-creation-time", Xml.rfc822(0))
                .header("Last-Modified", Xml.rfc822(0));
    }

    private ServerResponse tablesXml(String project, String schema) {
        StringBuilder xml = new StringBuilder("<Tables>");
        for (ServerTable table : store.tables(project, schema)) {
            xml.append("<Table><Name>")
                    .append(Xml.escape(table.name()))
                    .append("</Name><Project>")
                    .append(Xml.escape(table.project()))
                    .append("</Project><SchemaName>")
                    .append(Xml.escape(table.schemaName()))
                    .append("</SchemaName><Type>MANAGED_TABLE</Type><Schema format=\"json\">")
                    .append(Xml.cdata(tableJson(table).toString()))
                    .append("</Schema></Table>");
        }
        // One page: an empty marker tells the SDK there is no next page.
        xml.append("<Marker></Marker><MaxItems>1000</MaxItems></Tables>");
        return ServerResponse.xml(200, xml.toString());
    }

    private ServerResponse tableXml(ServerTable table) {
        String xml =
                "<Table><Name>"
                        + Xml.escape(table.name())
                        + "</Name><TableId>"
                        + Integer.toHexString(table.name().hashCode())
                        + "</TableId><Owner>ALIYUN$test</Owner><Project>"
                        + Xml.escape(table.project())
                        + "</Project><SchemaName>"
                        + Xml.escape(table.schemaName())
                        + "</SchemaName><Type>MANAGED_TABLE</Type><Schema format=\"json\">"
                        + Xml.cdata(tableJson(table).toString())
                        + "</Schema></Table>";
        return ServerResponse.xml(200, xml);
    }

    private static JsonObject tableJson(ServerTable table) {
        JsonObject json = new JsonObject();
        json.add("columns", columnsJson(table.schema().getColumns()));
        json.add("partitionKeys", columnsJson(table.schema().getPartitionColumns()));
        long created = table.createdAtMillis() / 1000;
        json.addProperty("createTime", created);
        json.addProperty("lastDDLTime", created);
        json.addProperty("lastModifiedTime", lastModifiedSeconds(table));
        json.addProperty("owner", "ALIYUN$test");
        json.addProperty("tableName", table.name());
        json.addProperty("isVirtualView", false);
        json.addProperty("lifecycle", -1);
        json.addProperty("recordNum", table.rowCount());
        json.addProperty("size", table.rowCount() * 64);
        if (table.comment() != null) {
            json.addProperty("comment", table.comment());
        }
        JsonObject reserved = new JsonObject();
        reserved.addProperty("Transactional", String.valueOf(table.isTransactional()));
        if (table.isTransactional()) {
            JsonArray pk = new JsonArray();
            table.primaryKey().forEach(pk::add);
            reserved.add("PrimaryKey", pk);
        }
        json.addProperty("Reserved", reserved.toString());
        return json;
    }

    private static long lastModifiedSeconds(ServerTable table) {
        long last = table.createdAtMillis();
        for (ServerPartition partition : table.partitions()) {
            last = Math.max(last, partition.lastModifiedMillis());
        }
        return last / 1000;
    }

    private static JsonArray columnsJson(List<Column> columns) {
        JsonArray array = new JsonArray();
        for (Column column : columns) {
            JsonObject json = new JsonObject();
            json.addProperty("name", column.getName());
            json.addProperty("type", column.getTypeInfo().getTypeName());
            json.addProperty("isNullable", column.isNullable());
            if (column.getComment() != null) {
                json.addProperty("comment", column.getComment());
            }
            array.add(json);
        }
        return array;
    }

    private ServerResponse partitionsXml(ServerTable table, ServerRequest request) {
        String filter = request.param("partition");
        boolean namesOnly = request.has("name");
        StringBuilder xml = new StringBuilder("<Partitions>");
        for (ServerPartition partition : table.partitions()) {
            if (!table.isPartitioned() || !matchesPrefix(partition.spec(), filter)) {
                continue;
            }
            if (namesOnly) {
                xml.append("<Partition><Name>")
                        .append(Xml.escape(partition.spec().replace(',', '/')))
                        .append("</Name></Partition>");
                continue;
            }
            xml.append("<Partition>");
            for (Map.Entry<String, String> kv : Xml.specEntries(partition.spec())) {
                xml.append("<Column Name=\"")
                        .append(Xml.escape(kv.getKey()))
                        .append("\" Value=\"")
                        .append(Xml.escape(kv.getValue()))
                        .append("\"/>");
            }
            long created = partition.createdAtMillis() / 1000;
            xml.append("<CreationTime>").append(created).append("</CreationTime>");
            xml.append("<LastDDLTime>").append(created).append("</LastDDLTime>");
            xml.append("<LastModifiedTime>")
                    .append(partition.lastModifiedMillis() / 1000)
                    .append("</LastModifiedTime></Partition>");
        }
        xml.append("<Marker></Marker><MaxItems>1000</MaxItems></Partitions>");
        return ServerResponse.xml(200, xml.toString());
    }

    private static boolean matchesPrefix(String spec, String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        Map<String, String> values = Map.copyOf(Xml.specMap(spec));
        for (Map.Entry<String, String> kv : Xml.specEntries(filter.replace("'", ""))) {
            if (!kv.getValue().equals(values.get(kv.getKey().toLowerCase()))) {
                return false;
            }
        }
        return true;
    }

    private ServerResponse partitionXml(ServerTable table, String spec) {
        ServerPartition partition = table.partition(spec);
        if (partition == null) {
            throw ServerException.notFound(
                    "NoSuchPartition",
                    "ODPS-0130161:Partition not found - '" + spec + "' of " + table.name());
        }
        JsonObject json = new JsonObject();
        json.addProperty("createTime", partition.createdAtMillis() / 1000);
        json.addProperty("lastDDLTime", partition.createdAtMillis() / 1000);
        json.addProperty("lastModifiedTime", partition.lastModifiedMillis() / 1000);
        json.addProperty("partitionRecordNum", partition.rowCount());
        json.addProperty("partitionSize", partition.rowCount() * 64);
        return ServerResponse.xml(
                200, "<Partition><Schema>" + Xml.cdata(json.toString()) + "</Schema></Partition>");
    }
}
