package org.flinkconnectors.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A standalone Flink session cluster (one JobManager, one TaskManager with 4 slots) and a SQL
 * gateway in front of it, each a separate JVM, all on 127.0.0.1 with free ports. Configuration and
 * logs stay in the work directory.
 *
 * <pre>{@code
 * try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(workDir, classpath, opens)) {
 *     SqlGatewayClient gateway = new SqlGatewayClient(cluster.sqlGatewayUrl());
 *     ...
 * }
 * }</pre>
 */
final class StandaloneFlinkCluster implements AutoCloseable {

    private static final Set<String> TERMINAL_JOB_STATES =
            Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final FlinkLauncher launcher;
    private final int restPort;
    private final int gatewayPort;
    private final List<JvmProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    private StandaloneFlinkCluster(FlinkLauncher launcher, int restPort, int gatewayPort) {
        this.launcher = launcher;
        this.restPort = restPort;
        this.gatewayPort = gatewayPort;
    }

    /**
     * Writes the configuration, starts JobManager, TaskManager and SQL gateway, and returns once
     * the REST API reports the TaskManager and the gateway answers. On failure it prints the
     * processes' logs and kills them.
     */
    static StandaloneFlinkCluster start(
            Path workDir, ClusterClasspath classpath, List<String> opens) throws Exception {
        int[] ports = freePorts(4);
        StandaloneFlinkCluster cluster =
                new StandaloneFlinkCluster(
                        new FlinkLauncher(workDir, classpath, opens), ports[0], ports[1]);
        try {
            cluster.launcher.writeConfiguration(cluster.configuration(ports[2], ports[3]));
            cluster.processes.addAll(cluster.launcher.startSessionCluster());
            cluster.processes.add(cluster.launcher.startSqlGateway(cluster.gatewayOptions()));
            cluster.awaitReady();
            return cluster;
        } catch (Throwable t) {
            cluster.dumpLogs(System.out);
            cluster.close();
            throw t;
        }
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    String sqlGatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    /** GETs a path of the cluster's REST API, e.g. {@code /jobs/overview}. */
    JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + path))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return mapper.readTree(response.body());
    }

    /** Waits until the job reaches a terminal state and returns that state. */
    String awaitJobTermination(String jobId, Duration timeout) throws Exception {
        return Polling.poll(
                "job " + jobId + " to terminate",
                timeout,
                () -> {
                    checkProcessesAlive();
                    String state = rest("/jobs/" + jobId).path("state").asText();
                    return TERMINAL_JOB_STATES.contains(state)
                            ? Optional.of(state)
                            : Optional.empty();
                });
    }

    /** The root exception of a job as its REST API reports it, for failure messages. */
    String jobException(String jobId) {
        try {
            return rest("/jobs/" + jobId + "/exceptions").path("root-exception").asText();
        } catch (Exception e) {
            return "(cannot fetch the job's exceptions: " + e + ")";
        }
    }

    /** Prints the tail of every process's output and log. */
    void dumpLogs(PrintStream out) {
        for (JvmProcess process : processes) {
            process.dumpLogs(out);
        }
    }

    /** Kills all processes; configuration and logs stay, temporary files are deleted. */
    @Override
    public void close() throws IOException {
        for (JvmProcess process : processes) {
            process.destroy();
        }
        processes.clear();
        launcher.deleteTmpDir();
    }

    private Map<String, String> configuration(int rpcPort, int blobPort) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", String.valueOf(rpcPort));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("jobmanager.memory.process.size", "1024m");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.host", "127.0.0.1");
        config.put("taskmanager.memory.process.size", "1728m");
        config.put("taskmanager.numberOfTaskSlots", "4");
        config.put("parallelism.default", "2");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", String.valueOf(restPort));
        config.put("blob.server.port", String.valueOf(blobPort));
        config.put("io.tmp.dirs", launcher.tmpDir().toString());
        config.put("web.tmpdir", launcher.tmpDir().toString());
        // A broken job should fail the test with its cause, not restart until the deadline.
        config.put("restart-strategy.type", "none");
        return config;
    }

    private Map<String, String> gatewayOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("sql-gateway.endpoint.rest.address", "127.0.0.1");
        options.put("sql-gateway.endpoint.rest.bind-address", "127.0.0.1");
        options.put("sql-gateway.endpoint.rest.port", String.valueOf(gatewayPort));
        options.put("execution.target", "remote");
        options.put("rest.address", "127.0.0.1");
        options.put("rest.port", String.valueOf(restPort));
        return options;
    }

    private void awaitReady() throws Exception {
        Polling.poll(
                "the TaskManager to register at the JobManager",
                STARTUP_TIMEOUT,
                () -> {
                    checkProcessesAlive();
                    try {
                        return rest("/overview").path("taskmanagers").asInt() == 1
                                ? Optional.of(true)
                                : Optional.empty();
                    } catch (IOException notYetListening) {
                        return Optional.empty();
                    }
                });
        Polling.poll(
                "the SQL gateway to answer",
                STARTUP_TIMEOUT,
                () -> {
                    checkProcessesAlive();
                    try {
                        HttpResponse<String> response =
                                http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(sqlGatewayUrl() + "/v3/info"))
                                                .timeout(Duration.ofSeconds(10))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                        return response.statusCode() == 200 ? Optional.of(true) : Optional.empty();
                    } catch (IOException notYetListening) {
                        return Optional.empty();
                    }
                });
    }

    private void checkProcessesAlive() {
        for (JvmProcess process : processes) {
            process.checkAlive();
        }
    }

    private static int[] freePorts(int count) throws IOException {
        // Hold all sockets open until every port is picked, so the ports are distinct.
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }
}
