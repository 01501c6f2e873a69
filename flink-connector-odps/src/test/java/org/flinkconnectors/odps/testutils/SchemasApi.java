package org.flinkconnectors.odps.testutils;

import java.nio.charset.StandardCharsets;

/**
 * The schema resource of the REST API ({@code /projects/p/schemas[/s]}): list, create, get and
 * delete, as {@code Odps#schemas()} calls them. A two-tier project has no schemas and answers like
 * MaxCompute does for an unsupported feature.
 */
final class SchemasApi {

    private final ServerStore store;

    SchemasApi(ServerStore store) {
        this.store = store;
    }

    ServerResponse handle(ServerRequest request, String project, String schemaName)
            throws Exception {
        if (!store.usesSchemaModel(project)) {
            throw ServerException.badRequest(
                    "InvalidParameter",
                    "ODPS-0110061:Project '" + project + "' does not enable the schema model.");
        }
        String method = request.method();
        if (schemaName == null && method.equals("GET")) {
            return list(project);
        }
        if (schemaName == null && method.equals("POST")) {
            return create(request, project);
        }
        if (schemaName != null && method.equals("GET")) {
            return get(project, schemaName);
        }
        if (schemaName != null && method.equals("DELETE")) {
            return delete(project, schemaName);
        }
        throw ServerException.badRequest(
                "InvalidArgument", method + " is not supported on " + request.resource());
    }

    private ServerResponse list(String project) {
        StringBuilder xml = new StringBuilder("<Schemas>");
        for (String name : store.schemas(project)) {
            xml.append(schemaXml(store.schema(project, name)));
        }
        // One page: an empty marker tells the SDK there is no next page.
        xml.append("<Marker></Marker><MaxItems>1000</MaxItems></Schemas>");
        return ServerResponse.xml(200, xml.toString());
    }

    private ServerResponse create(ServerRequest request, String project) throws Exception {
        String body = new String(request.bodyBytes(), StandardCharsets.UTF_8);
        String name = Xml.element(body, "Name");
        if (name == null || name.isBlank()) {
            throw ServerException.badRequest("InvalidParameter", "The schema name is missing.");
        }
        if (store.hasSchema(project, name)) {
            if (Boolean.parseBoolean(Xml.element(body, "IfNotExists"))) {
                return ServerResponse.empty(201);
            }
            throw ServerException.conflict(
                    "ObjectAlreadyExists",
                    "ODPS-0110061:Schema already exists - '" + project + "." + name + "'.");
        }
        store.createSchema(project, name, Xml.element(body, "Comment"));
        return ServerResponse.empty(201);
    }

    private ServerResponse get(String project, String name) {
        ServerSchema schema = requireSchema(project, name);
        return ServerResponse.xml(200, schemaXml(schema))
                .header("x-odps-owner", "ALIYUN$test")
                .header("x-odps-creation-time", Xml.rfc822(schema.createdAtMillis()))
                .header("Last-Modified", Xml.rfc822(schema.createdAtMillis()));
    }

    private ServerResponse delete(String project, String name) {
        requireSchema(project, name);
        try {
            store.dropSchema(project, name);
        } catch (IllegalStateException e) {
            throw ServerException.conflict("InvalidOperation", "ODPS-0110061:" + e.getMessage());
        }
        return ServerResponse.empty(204);
    }

    private ServerSchema requireSchema(String project, String name) {
        ServerSchema schema = store.schema(project, name);
        if (schema == null) {
            throw ServerException.notFound(
                    "NoSuchObject",
                    "ODPS-0110061:Schema not found - '" + project + "." + name + "'.");
        }
        return schema;
    }

    private static String schemaXml(ServerSchema schema) {
        return "<Schema><Name>"
                + Xml.escape(schema.name())
                + "</Name><Project>"
                + Xml.escape(schema.project())
                + "</Project><Comment>"
                + Xml.escape(schema.comment() == null ? "" : schema.comment())
                + "</Comment><Type>MANAGED</Type><Owner>ALIYUN$test</Owner></Schema>";
    }
}
