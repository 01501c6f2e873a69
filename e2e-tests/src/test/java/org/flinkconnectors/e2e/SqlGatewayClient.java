package org.flinkconnectors.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal client of the Flink SQL gateway's REST endpoint (API v3): sessions, statements and
 * their results, as the SQL client in gateway mode uses them.
 *
 * <pre>{@code
 * try (SqlGatewayClient.Session session = new SqlGatewayClient(url).openSession()) {
 *     session.execute("ADD JAR '/path/to/connector-sql.jar'", Duration.ofMinutes(1));
 * }
 * }</pre>
 */
final class SqlGatewayClient {

    private static final String API = "/v3";

    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    SqlGatewayClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Session openSession() throws IOException, InterruptedException {
        return openSession(Map.of());
    }

    /** Opens a session with these configuration settings, as {@code SET} statements would. */
    Session openSession(Map<String, String> properties) throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("sessionName", "e2e");
        ObjectNode settings = body.putObject("properties");
        properties.forEach(settings::put);
        String handle = send("POST", API + "/sessions", body).path("sessionHandle").asText();
        return new Session(handle);
    }

    /** The outcome of a statement: its rows (field lists) and, for DML, the submitted job. */
    record StatementResult(String jobId, List<String> columns, List<JsonNode> rows) {}

    /** A gateway session; closing it releases its resources, e.g. jars added with ADD JAR. */
    final class Session implements AutoCloseable {

        private final String path;

        private Session(String handle) {
            this.path = API + "/sessions/" + handle;
        }

        /**
         * Executes one statement and fetches its whole result. Statement errors fail with the
         * gateway's error text, which includes the cause chain.
         */
        StatementResult execute(String statement, Duration timeout) throws Exception {
            ObjectNode body = mapper.createObjectNode().put("statement", statement);
            String operation =
                    send("POST", path + "/statements", body).path("operationHandle").asText();
            String next = path + "/operations/" + operation + "/result/0?rowFormat=JSON";
            List<String> columns = new ArrayList<>();
            List<JsonNode> rows = new ArrayList<>();
            String jobId = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (next != null) {
                String uri = next;
                JsonNode page =
                        Polling.poll(
                                "the result of: " + statement,
                                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                                () -> {
                                    JsonNode response = send("GET", uri, null);
                                    return "NOT_READY".equals(response.path("resultType").asText())
                                            ? Optional.empty()
                                            : Optional.of(response);
                                });
                if (page.hasNonNull("jobID")) {
                    jobId = page.get("jobID").asText();
                }
                JsonNode results = page.path("results");
                if (columns.isEmpty()) {
                    results.path("columns").forEach(c -> columns.add(c.path("name").asText()));
                }
                for (JsonNode row : results.path("data")) {
                    rows.add(row.path("fields"));
                }
                boolean endOfStream = "EOS".equals(page.path("resultType").asText());
                next =
                        endOfStream || !page.hasNonNull("nextResultUri")
                                ? null
                                : page.get("nextResultUri").asText();
            }
            send("DELETE", path + "/operations/" + operation + "/close", null);
            return new StatementResult(jobId, columns, rows);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            send("DELETE", path, null);
        }
    }

    private JsonNode send(String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher =
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body));
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .method(method, publisher)
                        .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new SqlGatewayException(
                    method
                            + " "
                            + path
                            + " -> HTTP "
                            + response.statusCode()
                            + ": "
                            + errorText(response.body()));
        }
        return mapper.readTree(response.body());
    }

    private String errorText(String body) {
        try {
            JsonNode errors = mapper.readTree(body).path("errors");
            List<String> lines = new ArrayList<>();
            errors.forEach(e -> lines.add(e.asText()));
            return lines.isEmpty() ? body : String.join("\n", lines);
        } catch (IOException notJson) {
            return body;
        }
    }

    /** A statement or request the gateway rejected; the message carries the gateway's errors. */
    static final class SqlGatewayException extends IOException {
        SqlGatewayException(String message) {
            super(message);
        }
    }
}
