package org.flinkconnectors.e2e;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.odps.testutils.OdpsTestServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The systems the demo and the examples run against, all in this JVM: an embedded KRaft Kafka
 * broker, the protocol-level MaxCompute ({@link OdpsTestServer}) and a temporary lake warehouse
 * directory. Flink itself is a MiniCluster each job starts. {@link #close()} stops them and deletes
 * the warehouse.
 */
public final class EmbeddedSystems implements AutoCloseable {

    private final EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster();
    private final OdpsTestServer odps = new OdpsTestServer();
    private Path warehouse;

    private EmbeddedSystems() {}

    /** Starts the broker and the MaxCompute test server and creates the warehouse directory. */
    public static EmbeddedSystems start() throws Exception {
        EmbeddedSystems systems = new EmbeddedSystems();
        try {
            startQuietly(systems.kafka);
            systems.odps.startUp();
            // A long-running demo would otherwise keep every request in memory.
            systems.odps.setRecordRequests(false);
            systems.warehouse = Files.createTempDirectory("flink-connector-suite-lake");
        } catch (Exception | Error e) {
            systems.close();
            throw e;
        }
        return systems;
    }

    /**
     * Starts the broker without its start-up output: Kafka's storage formatter prints "Formatting
     * metadata directory ..." and the bootstrap metadata to {@code System.out}. That output is kept
     * and printed to {@code System.err} if the start fails; the broker's own logging is untouched.
     */
    private static void startQuietly(EmbeddedKafkaCluster kafka) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            kafka.startUp();
        } catch (Exception | Error e) {
            System.err.print(captured.toString(StandardCharsets.UTF_8));
            throw e;
        } finally {
            System.setOut(stdout);
        }
    }

    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public OdpsTestServer odps() {
        return odps;
    }

    /** The temporary warehouse directory, deleted by {@link #close()}. */
    public Path warehouse() {
        return warehouse;
    }

    @Override
    public void close() throws Exception {
        try {
            if (warehouse != null) {
                deleteRecursively(warehouse);
            }
        } finally {
            try {
                odps.tearDown();
            } finally {
                kafka.tearDown();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
