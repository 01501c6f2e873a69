package org.flinkconnectors.odps.testutils;

import org.apache.flink.connector.testframe.TestResource;

import com.aliyun.odps.Odps;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.tunnel.TableTunnel;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A protocol-level MaxCompute service for tests, demos and benchmarks: the real {@code
 * odps-sdk-core} talks to it over HTTP on 127.0.0.1 as it would to MaxCompute (signed REST metadata
 * calls, SQL instances for DDL, table tunnel downloads, uploads and upserts) while projects,
 * tables, partitions and rows live in memory ({@link #store()}).
 *
 * <p>Every request is authenticated against the configured access keys, recorded ({@link
 * #requests()}) so tests can assert which partitions and columns were read, and passed through the
 * {@link #faults()} injector. Usable as a JUnit 5 extension, a Flink {@link TestResource} or by
 * itself ({@link #main}). {@link #restartFrontEnd} restarts it as clients see a service restart.
 */
public class OdpsTestServer
        implements TestResource, BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final String DEFAULT_PROJECT = "test_project";
    public static final String ACCESS_ID = "test-access-id";
    public static final String ACCESS_KEY = "test-access-key";

    private static final String REST_PREFIX = "/api";
    private static final String TUNNEL_PREFIX = "/tunnel";
    // The upsert stream sends its data with the path relative to the tunnel endpoint.
    private static final String TUNNEL_RELATIVE_PATH = "/projects";

    static {
        // Without TCP_NODELAY the JDK server's small responses meet the client's delayed ACKs:
        // every request then costs ~40 ms instead of well under one (read once per JVM).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final int requestedPort;
    private final ServerStore store = new ServerStore();
    private final ServerClock clock = new ServerClock();
    private final RequestAuthenticator authenticator = new RequestAuthenticator();
    private final FaultInjector faults = new FaultInjector();
    private final ConcurrentLinkedQueue<ServerRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean recordRequests = true;

    private HttpServer server;
    private ExecutorService executor;
    // The port and the running state outlive the HTTP server across front-end restarts.
    private volatile boolean running;
    private int port;
    private RestApi rest;
    private TunnelApi tunnel;

    public OdpsTestServer() {
        this(0);
    }

    public OdpsTestServer(int port) {
        this.requestedPort = port;
        store.createProject(DEFAULT_PROJECT);
        authenticator.addAccount(ACCESS_ID, ACCESS_KEY);
    }

    @Override
    public synchronized void startUp() throws IOException {
        if (running) {
            return;
        }
        bind(requestedPort);
        port = server.getAddress().getPort();
        String address = "127.0.0.1:" + port;
        rest =
                new RestApi(
                        store,
                        new SqlInstances(new SqlDdl(store), "http://" + address + REST_PREFIX),
                        address + TUNNEL_PREFIX);
        tunnel = new TunnelApi(store, clock);
        running = true;
        server.start();
    }

    @Override
    public synchronized void tearDown() {
        running = false;
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /**
     * Restarts the HTTP front end as clients see a MaxCompute restart: the listener and every open
     * connection close at once (a request in flight gets no answer, not an HTTP error), the port
     * refuses connections for {@code downtime}, then the server listens on the same port again.
     * Projects, tables, rows, tunnel sessions, SQL instances and the clock stay as they were:
     * MaxCompute keeps them durably, this server keeps them in memory, so only its front end
     * restarts, in the same JVM. Returns once the server listens again, or at once if the front end
     * is down already (another restart) or the server was torn down.
     */
    public void restartFrontEnd(Duration downtime) throws IOException, InterruptedException {
        synchronized (this) {
            if (server == null) {
                return;
            }
            // stop(0) closes the listener, then every connection, the caller's own too.
            server.stop(0);
            // Not shutdownNow: a fault restarts the server on one of the executor's threads.
            executor.shutdown();
            server = null;
        }
        // The outage itself, not a wait for a condition.
        Thread.sleep(downtime.toMillis());
        synchronized (this) {
            if (running && server == null) {
                bind(port);
                server.start();
            }
        }
    }

    /** Binds a new HTTP server with the server's contexts, not yet started. */
    private void bind(int onPort) throws IOException {
        server =
                HttpServer.create(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
        executor = Executors.newFixedThreadPool(16, r -> daemon(r, "odps-test-server"));
        server.setExecutor(executor);
        server.createContext(REST_PREFIX, ex -> serve(ex, ServerRequest.Service.REST, REST_PREFIX));
        server.createContext(
                TUNNEL_PREFIX, ex -> serve(ex, ServerRequest.Service.TUNNEL, TUNNEL_PREFIX));
        server.createContext(
                TUNNEL_RELATIVE_PATH, ex -> serve(ex, ServerRequest.Service.TUNNEL, ""));
    }

    @Override
    public void close() {
        tearDown();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        startUp();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        tearDown();
    }

    /** The REST endpoint, e.g. {@code http://127.0.0.1:41234/api}. */
    public String endpoint() {
        return "http://" + address() + REST_PREFIX;
    }

    /** The tunnel endpoint (the SDK also discovers it from the REST endpoint). */
    public String tunnelEndpoint() {
        return "http://" + address() + TUNNEL_PREFIX;
    }

    public ServerStore store() {
        return store;
    }

    public FaultInjector faults() {
        return faults;
    }

    /** Adds an account whose requests are accepted. */
    public void addAccount(String accessId, String accessKey) {
        authenticator.addAccount(accessId, accessKey);
    }

    /** Adds an account whose requests must also carry the STS token. */
    public void addStsAccount(String accessId, String accessKey, String stsToken) {
        authenticator.addStsAccount(accessId, accessKey, stsToken);
    }

    /** The requests served so far (oldest first), without their bodies. */
    public List<ServerRequest> requests() {
        return new ArrayList<>(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** Benchmarks switch the request log off so it does not grow with the data. */
    public void setRecordRequests(boolean record) {
        this.recordRequests = record;
    }

    /** The server's clock; moving it forward ages the tunnel sessions. */
    public ServerClock clock() {
        return clock;
    }

    /**
     * Moves the clock past the 24-hour lifetime of the upload sessions opened so far: uncommitted
     * ones answer {@code expired} from then on, committed ones keep answering {@code closed}.
     */
    public void expireUploadSessions() {
        clock.advance(TunnelApi.UPLOAD_SESSION_LIFETIME.plusMinutes(1));
    }

    /**
     * Forgets every upload session, committed or not, as a service that purged their metadata
     * would: they answer {@code NoSuchUpload} from then on.
     */
    public void forgetUploadSessions() {
        tunnel.forgetUploadSessions();
    }

    /** Expires all open upsert sessions: they can no longer take data or be committed. */
    public void expireUpsertSessions() {
        tunnel.expireUpsertSessions();
    }

    /**
     * The upserts and deletes an open upsert session received so far, in all its data requests: a
     * change sent twice counts twice. Commit takes them, so ask before.
     */
    public int receivedUpsertChanges(String sessionId) {
        return tunnel.receivedUpsertChanges(sessionId);
    }

    /**
     * Forgets every upsert session, committed or not, as a service that purged their metadata
     * would: they answer {@code UpsertSessionNotFound} from then on.
     */
    public void forgetUpsertSessions() {
        tunnel.forgetUpsertSessions();
    }

    /** A plain SDK client for this server with the default account and project. */
    public Odps newOdps() {
        Odps odps = new Odps(new AliyunAccount(ACCESS_ID, ACCESS_KEY));
        odps.setEndpoint(endpoint());
        odps.setDefaultProject(DEFAULT_PROJECT);
        return odps;
    }

    public TableTunnel newTableTunnel(Odps odps) {
        TableTunnel tableTunnel = new TableTunnel(odps);
        tableTunnel.setEndpoint(tunnelEndpoint());
        return tableTunnel;
    }

    private String address() {
        if (!running) {
            throw new IllegalStateException("The ODPS test server is not running.");
        }
        return "127.0.0.1:" + port;
    }

    private void serve(HttpExchange exchange, ServerRequest.Service service, String prefix)
            throws IOException {
        String path = ServerRequest.decode(exchange.getRequestURI().getRawPath());
        ServerRequest request =
                new ServerRequest(
                        exchange,
                        service,
                        path.substring(prefix.length()),
                        sequence.incrementAndGet());
        String requestId = UUID.randomUUID().toString().replace("-", "");
        exchange.getResponseHeaders().add("x-odps-request-id", requestId);
        boolean[] streamed = {false};
        boolean restarted = false;
        try {
            if (recordRequests) {
                requests.add(request.detached());
            }
            authenticator.authenticate(request);
            boolean isDownload = service == ServerRequest.Service.TUNNEL && request.has("data");
            long truncateAt = faults.apply(request, isDownload);
            ServerResponse response =
                    service == ServerRequest.Service.REST
                            ? rest.handle(request)
                            : tunnel.handle(
                                    request,
                                    (status, contentType, contentEncoding) -> {
                                        streamed[0] = true;
                                        exchange.getResponseHeaders()
                                                .add("Content-Type", contentType);
                                        if (contentEncoding != null) {
                                            exchange.getResponseHeaders()
                                                    .add("Content-Encoding", contentEncoding);
                                        }
                                        exchange.sendResponseHeaders(status, 0);
                                        OutputStream body = exchange.getResponseBody();
                                        return truncateAt < 0
                                                ? body
                                                : new TruncatingStream(body, truncateAt);
                                    });
            if (response != null) {
                faults.applyAfter(request);
                send(exchange, response);
            }
        } catch (FaultInjector.Restart restart) {
            // No answer: the restart closes this exchange's connection with all others.
            restarted = true;
            restart(restart.downtime());
        } catch (ServerException e) {
            if (!streamed[0]) {
                send(exchange, error(service, e.status(), e.code(), e.getMessage(), requestId));
            }
        } catch (Exception e) {
            if (!streamed[0]) {
                send(
                        exchange,
                        error(service, 500, "InternalServerError", String.valueOf(e), requestId));
            }
        } finally {
            if (!restarted) {
                exchange.close();
            }
        }
    }

    private void restart(Duration downtime) throws IOException {
        try {
            restartFrontEnd(downtime);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ServerResponse error(
            ServerRequest.Service service, int status, String code, String message, String id) {
        if (service == ServerRequest.Service.TUNNEL) {
            JsonObject json = new JsonObject();
            json.addProperty("Code", code);
            json.addProperty("Message", message);
            json.addProperty("RequestId", id);
            return ServerResponse.json(status, json.toString());
        }
        return ServerResponse.xml(
                status,
                "<Error><Code>"
                        + Xml.escape(code)
                        + "</Code><Message>"
                        + Xml.escape(message)
                        + "</Message><RequestId>"
                        + id
                        + "</RequestId><HostId>localhost</HostId></Error>");
    }

    private static void send(HttpExchange exchange, ServerResponse response) throws IOException {
        for (Map.Entry<String, String> header : response.headers.entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        exchange.sendResponseHeaders(
                response.status, response.body.length == 0 ? -1 : response.body.length);
        if (response.body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body);
            }
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Runs the server by itself: {@code OdpsTestServer [port]}; prints its endpoints. */
    public static void main(String[] args) throws Exception {
        OdpsTestServer server = new OdpsTestServer(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        server.startUp();
        String banner =
                "OdpsTestServer endpoint="
                        + server.endpoint()
                        + " tunnel-endpoint="
                        + server.tunnelEndpoint()
                        + " project="
                        + DEFAULT_PROJECT
                        + " access-id="
                        + ACCESS_ID
                        + System.lineSeparator();
        System.out.write(banner.getBytes(StandardCharsets.UTF_8));
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Passes the first {@code limit} bytes of a download on and drops the rest. */
    private static final class TruncatingStream extends FilterOutputStream {
        private long remaining;

        TruncatingStream(OutputStream out, long limit) {
            super(out);
            this.remaining = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (remaining-- > 0) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int passed = (int) Math.max(0, Math.min(len, remaining));
            out.write(b, off, passed);
            remaining -= len;
        }
    }
}
