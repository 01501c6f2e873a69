package org.flinkconnectors.odps.testutils;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as the {@link OdpsTestServer} sees it: the service it addressed (REST or tunnel), the
 * resource path below that service's prefix, the decoded query parameters and the headers.
 */
public final class ServerRequest {

    /** Which of the server's two endpoints a request went to. */
    public enum Service {
        REST,
        TUNNEL
    }

    private final HttpExchange exchange;
    private final Service service;
    private final String method;
    private final String resource;
    private final Map<String, String> params;
    private final Map<String, String> headers;
    private final long sequence;

    ServerRequest(HttpExchange exchange, Service service, String resource, long sequence) {
        this.exchange = exchange;
        this.service = service;
        this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        this.resource = resource;
        this.params = parseQuery(exchange.getRequestURI().getRawQuery());
        this.headers = copyHeaders(exchange);
        this.sequence = sequence;
    }

    private ServerRequest(ServerRequest other) {
        this.exchange = null;
        this.service = other.service;
        this.method = other.method;
        this.resource = other.resource;
        this.params = other.params;
        this.headers = other.headers;
        this.sequence = other.sequence;
    }

    /** A copy for the request log that does not hold on to the connection. */
    ServerRequest detached() {
        return new ServerRequest(this);
    }

    public Service service() {
        return service;
    }

    public String method() {
        return method;
    }

    /** The decoded resource path, e.g. {@code /projects/p/tables/t}. */
    public String resource() {
        return resource;
    }

    /** Decoded query parameters; a parameter without value maps to {@code null}. */
    public Map<String, String> params() {
        return params;
    }

    public boolean has(String param) {
        return params.containsKey(param);
    }

    public String param(String name) {
        return params.get(name);
    }

    /** The first value of a header (case-insensitive), or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** All request headers with lower-case names, first value each. */
    public Map<String, String> headers() {
        return headers;
    }

    private static Map<String, String> copyHeaders(HttpExchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        exchange.getRequestHeaders()
                .forEach(
                        (k, v) -> {
                            if (k != null && !v.isEmpty()) {
                                out.put(k.toLowerCase(Locale.ROOT), v.get(0));
                            }
                        });
        return Collections.unmodifiableMap(out);
    }

    /** The position of this request in the server's life, counting from 1. */
    public long sequence() {
        return sequence;
    }

    InputStream body() {
        return exchange.getRequestBody();
    }

    byte[] bodyBytes() throws IOException {
        return exchange.getRequestBody().readAllBytes();
    }

    HttpExchange exchange() {
        return exchange;
    }

    /** The path segments of the resource, e.g. {@code [projects, p, tables, t]}. */
    List<String> segments() {
        String trimmed = resource.startsWith("/") ? resource.substring(1) : resource;
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/"));
    }

    @Override
    public String toString() {
        return method + " " + service + " " + resource + " " + params;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                out.put(decode(pair), null);
            } else {
                out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
