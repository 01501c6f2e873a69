package org.flinkconnectors.odps.testutils;

/** An error the {@link OdpsTestServer} answers with, in the shape MaxCompute uses. */
final class ServerException extends RuntimeException {

    private final int status;
    private final String code;

    ServerException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static ServerException notFound(String code, String message) {
        return new ServerException(404, code, message);
    }

    static ServerException badRequest(String code, String message) {
        return new ServerException(400, code, message);
    }

    static ServerException conflict(String code, String message) {
        return new ServerException(409, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
