package org.flinkconnectors.odps.testutils;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete (non-streamed) answer of the {@link OdpsTestServer}. */
final class ServerResponse {

    final int status;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();

    private ServerResponse(int status, byte[] body, String contentType) {
        this.status = status;
        this.body = body;
        headers.put("Content-Type", contentType);
    }

    static ServerResponse xml(int status, String xml) {
        return new ServerResponse(
                status,
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml)
                        .getBytes(StandardCharsets.UTF_8),
                "application/xml");
    }

    static ServerResponse json(int status, String json) {
        return new ServerResponse(
                status, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static ServerResponse text(int status, String text) {
        return new ServerResponse(status, text.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    static ServerResponse empty(int status) {
        return new ServerResponse(status, new byte[0], "text/plain");
    }

    ServerResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
