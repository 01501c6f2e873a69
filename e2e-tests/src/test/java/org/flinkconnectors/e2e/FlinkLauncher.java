package org.flinkconnectors.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the scripts in a Flink distribution's {@code bin/} do, for a {@link FlinkDistribution}: a
 * configuration directory ({@code config.yaml}, {@code log4j.properties}), the JVM memory flags and
 * dynamic options from {@code BashJavaUtils}, and the start of the JobManager, TaskManager and SQL
 * gateway JVMs with their logs in one directory.
 */
final class FlinkLauncher {

    private static final String BASH_JAVA_UTILS =
            "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private final Path confDir;
    private final Path logDir;
    private final Path tmpDir;
    private final String classpath;
    private final String gatewayClasspath;
    private final List<String> opens;
    private List<String> taskManagerResources;

    /**
     * @param workDir holds {@code conf/}, {@code log/} and {@code tmp/}
     * @param opens the {@code --add-exports/--add-opens} flags Flink needs on Java 17
     */
    FlinkLauncher(Path workDir, FlinkDistribution distribution, List<String> opens) {
        this.confDir = workDir.resolve("conf");
        this.logDir = workDir.resolve("log");
        this.tmpDir = workDir.resolve("tmp");
        this.classpath = distribution.clusterClasspath();
        this.gatewayClasspath = distribution.sqlGatewayClasspath();
        this.opens = List.copyOf(opens);
    }

    Path tmpDir() {
        return tmpDir;
    }

    /** Writes {@code config.yaml} with these settings and a log4j configuration for log files. */
    void writeConfiguration(Map<String, String> settings) throws IOException {
        Files.createDirectories(confDir);
        Files.createDirectories(logDir);
        Files.createDirectories(tmpDir);
        StringBuilder config = new StringBuilder();
        settings.forEach(
                (key, value) -> config.append(key).append(": ").append(value).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), config, StandardCharsets.UTF_8);
        String log4j =
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = MainAppender",
                        "appender.main.name = MainAppender",
                        "appender.main.type = File",
                        "appender.main.append = false",
                        "appender.main.fileName = ${sys:log.file}",
                        "appender.main.layout.type = PatternLayout",
                        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                        "");
        Files.writeString(confDir.resolve("log4j.properties"), log4j, StandardCharsets.UTF_8);
    }

    /**
     * Starts a JobManager as {@code jobmanager.sh} does: the first {@code BashJavaUtils} result
     * line holds JVM flags, the second {@code -D} options for the entry point.
     */
    JvmProcess startJobManager() throws Exception {
        return startEntryPoint(
                "jobmanager",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                resources("GET_JM_RESOURCE_PARAMS"),
                List.of());
    }

    /**
     * Starts a TaskManager as {@code taskmanager.sh} does, with its own resource id (the REST API
     * names it) and log file.
     */
    JvmProcess startTaskManager(String resourceId) throws Exception {
        if (taskManagerResources == null) {
            taskManagerResources = resources("GET_TM_RESOURCE_PARAMS");
        }
        return startEntryPoint(
                "taskmanager-" + resourceId,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                taskManagerResources,
                List.of("-Dtaskmanager.resource-id=" + resourceId));
    }

    private List<String> resources(String command) throws Exception {
        return executionResults(startBashJavaUtils(command).awaitOutput(TOOL_TIMEOUT));
    }

    /**
     * Starts the SQL gateway as {@code sql-gateway.sh start} does: the configuration comes from
     * {@code FLINK_CONF_DIR}, further options are {@code -Dkey=value} arguments.
     */
    JvmProcess startSqlGateway(Map<String, String> options) throws IOException {
        List<String> jvmArgs = commonJvmArgs();
        jvmArgs.add("-Xmx768m");
        List<String> args = new ArrayList<>();
        options.forEach((key, value) -> args.add("-D" + key + "=" + value));
        return JvmProcess.start(
                "sql-gateway",
                logDir,
                jvmArgs,
                gatewayClasspath,
                "org.apache.flink.table.gateway.SqlGateway",
                args,
                Map.of("FLINK_CONF_DIR", confDir.toString()),
                logDir.resolve("sql-gateway.log"));
    }

    /** Deletes the processes' temporary files (blobs, the extracted planner, the web UI). */
    void deleteTmpDir() throws IOException {
        if (!Files.isDirectory(tmpDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tmpDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private JvmProcess startEntryPoint(
            String name, String mainClass, List<String> resources, List<String> dynamicOptions)
            throws IOException {
        List<String> jvmArgs = commonJvmArgs();
        jvmArgs.addAll(splitWords(resources.get(0)));
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(splitWords(resources.get(1)));
        args.addAll(dynamicOptions);
        return JvmProcess.start(
                name,
                logDir,
                jvmArgs,
                classpath,
                mainClass,
                args,
                Map.of("FLINK_CONF_DIR", confDir.toString()),
                logDir.resolve(name + ".log"));
    }

    private JvmProcess startBashJavaUtils(String command) throws IOException {
        List<String> jvmArgs = new ArrayList<>(opens);
        jvmArgs.add("-Xmx256m");
        return JvmProcess.start(
                "bash-java-utils-" + command.toLowerCase().replace('_', '-'),
                logDir,
                jvmArgs,
                classpath,
                BASH_JAVA_UTILS,
                List.of(command, "--configDir", confDir.toString()),
                Map.of(),
                null);
    }

    private List<String> commonJvmArgs() {
        List<String> args = new ArrayList<>(opens);
        args.add("-XX:+UseParallelGC");
        // Soft references clear at every collection, as they do before a JVM runs out of
        // metaspace: what still holds a finished job's class loader after a collection leaks it.
        args.add("-XX:SoftRefLRUPolicyMSPerMB=0");
        args.add("-Dlog4j.configurationFile=file:" + confDir.resolve("log4j.properties"));
        return args;
    }

    /** The last two result lines of BashJavaUtils: JVM flags, then {@code -D key=value}s. */
    private static List<String> executionResults(String output) {
        List<String> results =
                output.lines()
                        .filter(line -> line.startsWith(RESULT_PREFIX))
                        .map(line -> line.substring(RESULT_PREFIX.length()))
                        .toList();
        if (results.size() < 2) {
            throw new IllegalStateException("Unexpected BashJavaUtils output:\n" + output);
        }
        return results.subList(results.size() - 2, results.size());
    }

    private static List<String> splitWords(String line) {
        return Arrays.stream(line.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
