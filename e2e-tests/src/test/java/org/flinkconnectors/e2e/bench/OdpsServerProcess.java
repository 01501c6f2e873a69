package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.testutils.OdpsTestServer;

import com.aliyun.odps.Odps;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.tunnel.TableTunnel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@link OdpsTestServer} in a JVM of its own, so that its heap, GC and request threads are not
 * the benchmark's: the client JVM's CPU time is then the connector's (or the raw loop's) alone. The
 * child prints its endpoints and lives until its standard input closes, so it also ends when the
 * benchmark dies.
 */
final class OdpsServerProcess implements AutoCloseable {

    private static final String BANNER = "ODPS-SERVER ";

    private final Process process;
    private final String endpoint;
    private final String tunnelEndpoint;

    private OdpsServerProcess(Process process, String endpoint, String tunnelEndpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.tunnelEndpoint = tunnelEndpoint;
    }

    /** The child's main: serves until standard input closes. */
    public static void main(String[] args) throws Exception {
        try (OdpsTestServer server = new OdpsTestServer()) {
            // Otherwise it keeps every request it served.
            server.setRecordRequests(false);
            server.startUp();
            System.out.println(BANNER + server.endpoint() + " " + server.tunnelEndpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Waits for the parent to close the pipe (or die).
            }
        }
        System.exit(0);
    }

    /** Starts a server JVM with {@code heap} (e.g. {@code 2g}) and waits for its endpoints. */
    static OdpsServerProcess start(String heap) throws IOException {
        Process process =
                new ProcessBuilder(
                                ChildJvm.command(
                                        heap,
                                        List.of(),
                                        OdpsServerProcess.class.getName(),
                                        List.of()))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(BANNER)) {
                String[] endpoints = line.substring(BANNER.length()).split(" ");
                drain(out);
                return new OdpsServerProcess(process, endpoints[0], endpoints[1]);
            }
        }
        process.destroyForcibly();
        throw new IOException("The ODPS test server process ended before it served.");
    }

    /** Keeps reading what the server prints later, so that it never blocks on a full pipe. */
    private static void drain(BufferedReader out) {
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                while (out.readLine() != null) {
                                    // Dropped.
                                }
                            } catch (IOException ignored) {
                                // The process ended.
                            }
                        },
                        "odps-server-output");
        thread.setDaemon(true);
        thread.start();
    }

    /** The server process's CPU time so far (user and system), or -1 where the OS does not say. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    Odps newOdps() {
        Odps odps =
                new Odps(new AliyunAccount(OdpsTestServer.ACCESS_ID, OdpsTestServer.ACCESS_KEY));
        odps.setEndpoint(endpoint);
        odps.setDefaultProject(OdpsTestServer.DEFAULT_PROJECT);
        return odps;
    }

    TableTunnel newTableTunnel(Odps odps) {
        TableTunnel tunnel = new TableTunnel(odps);
        tunnel.setEndpoint(tunnelEndpoint);
        return tunnel;
    }

    /** Our connector's connection to the server, with the tests' retries. */
    OdpsConnectionConfig connection() {
        return OdpsConnectionConfig.builder()
                .endpoint(endpoint)
                .tunnelEndpoint(tunnelEndpoint)
                .project(OdpsTestServer.DEFAULT_PROJECT)
                .accessId(OdpsTestServer.ACCESS_ID)
                .accessKey(OdpsTestServer.ACCESS_KEY)
                .maxRetries(3)
                .retryBackoff(Duration.ofMillis(50))
                .build();
    }

    /** The {@code WITH} options of an {@code odps} SQL table on the server, no parentheses. */
    String sqlOptions(String table) {
        return String.format(
                "'connector' = 'odps', 'endpoint' = '%s', 'tunnel-endpoint' = '%s',"
                        + " 'project' = '%s', 'table' = '%s', 'access-id' = '%s',"
                        + " 'access-key' = '%s'",
                endpoint,
                tunnelEndpoint,
                OdpsTestServer.DEFAULT_PROJECT,
                table,
                OdpsTestServer.ACCESS_ID,
                OdpsTestServer.ACCESS_KEY);
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
