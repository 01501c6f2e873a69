package org.flinkconnectors.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
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
 * A standalone Flink session cluster (one JobManager, TaskManagers with 4 slots each, one unless
 * told otherwise) and a SQL gateway in front of it, each a separate JVM, all on 127.0.0.1 with free
 * ports. TaskManagers can be killed with SIGKILL and new ones started, as a supervisor replaces a
 * crashed one. Configuration and logs stay in the work directory.
 *
 * <pre>{@code
 * try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(workDir, dist, opens)) {
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
    private final Map<String, JvmProcess> taskManagers = new LinkedHashMap<>();
    private final List<JvmProcess> killed = new ArrayList<>();
    private int expectedTaskManagers;
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
            Path workDir, FlinkDistribution distribution, List<String> opens) throws Exception {
        return start(workDir, distribution, opens, 1, Map.of());
    }

    /**
     * Like {@link #start(Path, FlinkDistribution, List)} with this many TaskManagers and these
     * settings added to (or replacing) the default configuration.
     */
    static StandaloneFlinkCluster start(
            Path workDir,
            FlinkDistribution distribution,
            List<String> opens,
            int taskManagers,
            Map<String, String> settings)
            throws Exception {
        int[] ports = FreePorts.take(4);
        StandaloneFlinkCluster cluster =
                new StandaloneFlinkCluster(
                        new FlinkLauncher(workDir, distribution, opens), ports[0], ports[1]);
        try {
            Map<String, String> configuration = cluster.configuration(ports[2], ports[3]);
            configuration.putAll(settings);
            cluster.launcher.writeConfiguration(configuration);
            // The JobManager is the first process.
            cluster.processes.add(cluster.launcher.startJobManager());
            for (int i = 0; i < taskManagers; i++) {
                cluster.startTaskManager();
            }
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

    /** Waits until the job has completed this many checkpoints. */
    void awaitCompletedCheckpoints(String jobId, int count) throws Exception {
        Polling.poll(
                count + " completed checkpoints of " + jobId,
                Duration.ofSeconds(90),
                () ->
                        rest("/jobs/" + jobId + "/checkpoints").at("/counts/completed").asInt()
                                        >= count
                                ? Optional.of(true)
                                : Optional.empty());
    }

    /** Cancels a job and waits until it is CANCELED. */
    void cancelJob(String jobId) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId))
                                .timeout(Duration.ofSeconds(10))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IOException("Cancel " + jobId + " -> " + response.statusCode());
        }
        awaitJobTermination(jobId, Duration.ofSeconds(60));
    }

    /**
     * Takes a savepoint of a running job without stopping it and returns its location. Flink
     * notifies no sink of such an intermediate savepoint, so its transactions stay pre-committed.
     */
    String triggerSavepoint(String jobId, Path directory) throws Exception {
        return savepoint(
                jobId,
                "/savepoints",
                mapper.createObjectNode()
                        .put("target-directory", directory.toUri().toString())
                        .put("cancel-job", false));
    }

    /**
     * Stops a running job with a savepoint (without draining its sources) and returns the
     * savepoint's location once the job has finished. Unlike an intermediate savepoint, Flink
     * notifies the sinks of this one before the job ends, so they commit what it holds.
     */
    String stopWithSavepoint(String jobId, Path directory) throws Exception {
        String location =
                savepoint(
                        jobId,
                        "/stop",
                        mapper.createObjectNode()
                                .put("targetDirectory", directory.toUri().toString())
                                .put("drain", false));
        awaitJobTermination(jobId, Duration.ofSeconds(60));
        return location;
    }

    private String savepoint(String jobId, String operation, JsonNode body) throws Exception {
        return awaitOperation(
                        post("/jobs/" + jobId + operation, body.toString()), "savepoints", jobId)
                .path("location")
                .asText();
    }

    /** Triggers a checkpoint of a running job and waits until it completed. */
    void triggerCheckpoint(String jobId) throws Exception {
        awaitOperation(post("/jobs/" + jobId + "/checkpoints", "{}"), "checkpoints", jobId);
    }

    private String post(String path, String body) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + path))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IOException(
                    "POST " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return mapper.readTree(response.body()).path("request-id").asText();
    }

    /** Polls an asynchronous operation until it completed; throws its failure. */
    private JsonNode awaitOperation(String triggerId, String kind, String jobId) throws Exception {
        JsonNode operation =
                Polling.poll(
                        kind + " operation " + triggerId + " of " + jobId,
                        Duration.ofSeconds(60),
                        () -> {
                            JsonNode status = rest("/jobs/" + jobId + "/" + kind + "/" + triggerId);
                            return "COMPLETED".equals(status.at("/status/id").asText())
                                    ? Optional.of(status.path("operation"))
                                    : Optional.empty();
                        });
        if (operation.has("failure-cause")) {
            throw new IOException(
                    kind + " of " + jobId + " failed: " + operation.path("failure-cause"));
        }
        return operation;
    }

    /**
     * Live instances of the class in every running TaskManager, counted by the JDK's {@code jcmd
     * GC.class_histogram} after a full GC.
     */
    long liveInstancesOnTaskManagers(String className) throws Exception {
        long count = 0;
        for (JvmProcess taskManager : taskManagers.values()) {
            count += liveInstances(taskManager, className);
        }
        return count;
    }

    /** Live instances of the class in the JobManager, counted the same way. */
    long liveInstancesOnJobManager(String className) throws Exception {
        return liveInstances(processes.get(0), className);
    }

    private static long liveInstances(JvmProcess process, String className) throws Exception {
        Process jcmd =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                                Long.toString(process.pid()),
                                "GC.class_histogram")
                        .redirectErrorStream(true)
                        .start();
        String histogram = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0) {
            throw new IOException("jcmd failed: " + histogram);
        }
        long count = 0;
        for (String line : histogram.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[3].equals(className)) {
                count += Long.parseLong(columns[1]);
            }
        }
        return count;
    }

    /** The names of the threads of every TaskManager, from Flink's REST thread dump. */
    List<String> taskManagerThreadNames() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (JsonNode taskManager : rest("/taskmanagers").path("taskmanagers")) {
            JsonNode dump =
                    rest("/taskmanagers/" + taskManager.path("id").asText() + "/thread-dump");
            dump.path("threadInfos").forEach(info -> names.add(info.path("threadName").asText()));
        }
        return names;
    }

    /** The lines of every process's output and log (killed ones included) that contain the text. */
    List<String> logLines(String text) throws IOException {
        List<String> lines = new ArrayList<>();
        for (JvmProcess process : allProcesses()) {
            lines.addAll(process.logLines(text));
        }
        return lines;
    }

    /** The latest exception of a job as its REST API reports it, with its stack trace. */
    String jobException(String jobId) {
        try {
            // Flink 2 reports failures only in the history, the latest first.
            return rest("/jobs/" + jobId + "/exceptions")
                    .at("/exceptionHistory/entries/0/stacktrace")
                    .asText("(no exception)");
        } catch (Exception e) {
            return "(cannot fetch the job's exceptions: " + e + ")";
        }
    }

    /** Starts one more TaskManager and returns its resource id; it registers on its own. */
    String startTaskManager() throws Exception {
        String resourceId = "tm" + (taskManagers.size() + killed.size() + 1);
        taskManagers.put(resourceId, launcher.startTaskManager(resourceId));
        expectedTaskManagers++;
        return resourceId;
    }

    /** The resource ids of the running TaskManagers, in start order. */
    List<String> taskManagerIds() {
        return List.copyOf(taskManagers.keySet());
    }

    /** Kills a TaskManager's JVM with SIGKILL: no shutdown hook, no close(), no final flush. */
    void killTaskManager(String resourceId) {
        JvmProcess process = taskManagers.remove(resourceId);
        if (process == null) {
            throw new IllegalArgumentException("No running TaskManager " + resourceId);
        }
        process.destroy();
        killed.add(process);
        expectedTaskManagers--;
    }

    /** Waits until the JobManager counts exactly the running TaskManagers. */
    void awaitTaskManagersRegistered(Duration timeout) throws Exception {
        Polling.poll(
                "the JobManager to count " + expectedTaskManagers + " TaskManagers",
                timeout,
                () -> {
                    checkProcessesAlive();
                    try {
                        return rest("/overview").path("taskmanagers").asInt()
                                        == expectedTaskManagers
                                ? Optional.of(true)
                                : Optional.empty();
                    } catch (IOException notYetListening) {
                        return Optional.empty();
                    }
                });
    }

    /** Prints the tail of every process's output and log. */
    void dumpLogs(PrintStream out) {
        for (JvmProcess process : allProcesses()) {
            process.dumpLogs(out);
        }
    }

    /** Kills all processes; configuration and logs stay, temporary files are deleted. */
    @Override
    public void close() throws IOException {
        for (JvmProcess process : allProcesses()) {
            process.destroy();
        }
        processes.clear();
        taskManagers.clear();
        launcher.deleteTmpDir();
    }

    private List<JvmProcess> allProcesses() {
        List<JvmProcess> all = new ArrayList<>(processes);
        all.addAll(taskManagers.values());
        all.addAll(killed);
        return all;
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
        awaitTaskManagersRegistered(STARTUP_TIMEOUT);
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
        for (JvmProcess process : taskManagers.values()) {
            process.checkAlive();
        }
    }
}
