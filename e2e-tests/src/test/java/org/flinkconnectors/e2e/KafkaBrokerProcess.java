package org.flinkconnectors.e2e;

import org.apache.kafka.common.Uuid;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * A Kafka broker (KRaft, combined broker and controller) in a JVM of its own, so a test can kill it
 * with SIGKILL and start it again on the same log directories and port, and choose the transaction
 * protocol: {@code transaction.version=1} is the pre-KIP-890 protocol many production brokers still
 * run, {@code 2} the default of Kafka 4.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final Path config;
    private final List<JvmProcess> stopped = new ArrayList<>();
    private JvmProcess process;

    private KafkaBrokerProcess(Path dir, int port, Path config) {
        this.dir = dir;
        this.port = port;
        this.config = config;
    }

    /** Formats the storage with the transaction protocol version and starts the broker. */
    static KafkaBrokerProcess start(Path dir, int transactionVersion) throws Exception {
        Files.createDirectories(dir);
        int[] ports = FreePorts.take(2);
        Properties server = new Properties();
        server.put("process.roles", "broker,controller");
        server.put("node.id", "1");
        server.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + ports[1]);
        server.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + ports[0] + ",CONTROLLER://127.0.0.1:" + ports[1]);
        server.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports[0]);
        server.put("controller.listener.names", "CONTROLLER");
        server.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        server.put("log.dirs", dir.resolve("data").toString());
        server.put("offsets.topic.replication.factor", "1");
        server.put("transaction.state.log.replication.factor", "1");
        server.put("transaction.state.log.min.isr", "1");
        server.put("group.initial.rebalance.delay.ms", "0");
        server.put("num.partitions", "2");
        // Timed-out transactions are aborted within a second, not the default ten.
        server.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            server.store(out, "written by KafkaBrokerProcess");
        }
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, ports[0], config);
        JvmProcess format =
                JvmProcess.start(
                        "kafka-storage-format",
                        dir,
                        List.of("-Xmx256m"),
                        classpath(),
                        "kafka.tools.StorageTool",
                        List.of(
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString(),
                                "--standalone",
                                "--feature",
                                "transaction.version=" + transactionVersion),
                        Map.of(),
                        null);
        String output = format.awaitOutput(Duration.ofSeconds(60));
        if (!output.contains("Formatting")) {
            throw new IllegalStateException("Could not format the Kafka storage:\n" + output);
        }
        broker.startProcess();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Client properties that reach this broker. */
    Properties clientProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    /** Kills the broker with SIGKILL: no controlled shutdown, no flush. */
    void kill() {
        process.destroy();
        stopped.add(process);
        process = null;
    }

    /** Starts the broker again on the same storage and port, and waits until it listens. */
    void restart() throws Exception {
        startProcess();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
        }
    }

    void dumpLogs(java.io.PrintStream out) {
        stopped.forEach(p -> p.dumpLogs(out));
        if (process != null) {
            process.dumpLogs(out);
        }
    }

    private void startProcess() throws Exception {
        process =
                JvmProcess.start(
                        "kafka-broker-" + (stopped.size() + 1),
                        dir,
                        List.of("-Xmx512m", "-XX:+UseParallelGC"),
                        classpath(),
                        "kafka.Kafka",
                        List.of(config.toString()),
                        Map.of(),
                        null);
        Polling.poll(
                "the Kafka broker to listen on " + port,
                READY_TIMEOUT,
                () -> {
                    process.checkAlive();
                    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        return Optional.of(true);
                    } catch (IOException notYet) {
                        return Optional.empty();
                    }
                });
    }

    /**
     * The test JVM's classpath, which holds the broker (kafka_2.13 and its dependencies, from
     * kafka-test-common-runtime); a manifest-only jar of the test runner is expanded.
     */
    private static String classpath() throws IOException {
        String classpath = System.getProperty("java.class.path");
        String[] entries = classpath.split(File.pathSeparator);
        if (entries.length != 1 || !entries[0].endsWith(".jar")) {
            return classpath;
        }
        try (JarFile jar = new JarFile(entries[0])) {
            Manifest manifest = jar.getManifest();
            String manifestPath =
                    manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (manifestPath == null) {
                return classpath;
            }
            return Arrays.stream(manifestPath.trim().split("\\s+"))
                    .map(url -> Path.of(URI.create(url)).toString())
                    .collect(Collectors.joining(File.pathSeparator));
        }
    }
}
