package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TaskManager process killed with SIGKILL while the sources of the SQL jars read, on a plain
 * distribution with two TaskManager JVMs: unbounded readers (streams, odps, lake) while a bounded
 * job writes their input, and bounded sources (lake, odps) in the middle of their splits. The jobs
 * restart from their checkpoints, and each output, a topic or an odps table, is counted with the
 * system's own client: every id exactly once. The sinks under a kill are {@link
 * TaskManagerKillSinksITCase}'s.
 */
class TaskManagerKillSourcesITCase extends TaskManagerKillTestBase {

    /** Lake tables read as a stream: the earliest snapshot or version, then every commit. */
    private static final String LAKE_STREAMING =
            " /*+ OPTIONS('scan.mode' = 'earliest', 'scan.monitor-interval' = '1s') */";

    /**
     * An unbounded job reads while a bounded one writes, and a TaskManager both run on is killed:
     * the streams source copies the written topic into an odps table, the odps streaming source
     * copies the written odps table (new partitions and rows appended) into a topic, and the lake
     * streaming source copies the written Iceberg and Delta tables (from the earliest snapshot or
     * version) into two more topics, all exactly once. Once every id is visible the unbounded job
     * is cancelled and each output counted.
     */
    @Test
    void unboundedReadsSurviveAKilledTaskManagerWhileTheirInputIsWritten() throws Exception {
        String written = "tm-kill-written";
        String fromOdps = "tm-kill-from-odps";
        String fromIceberg = "tm-kill-from-iceberg";
        String fromDelta = "tm-kill-from-delta";
        for (String topic : List.of(written, fromOdps, fromIceberg, fromDelta)) {
            kafka.createTopic(topic, 2);
        }
        ServerTable odpsWritten =
                OdpsTestTables.createTable(
                        odps, "tm_kill_written", OdpsTestTables.idNameSchema(true));
        ServerTable odpsFromKafka =
                OdpsTestTables.createTable(
                        odps, "tm_kill_from_kafka", OdpsTestTables.idNameSchema(true));
        Path warehouse = Files.createTempDirectory(workDir, "warehouse");

        String writer;
        String reader;
        try (Session session = gateway.openSession()) {
            declareTables(session, warehouse);
            createLakeIdTables(session, "ice", "dlt");
            declareStreams(session, "written", written, "");
            declareStreams(session, "from_odps", fromOdps, "");
            declareStreams(session, "from_iceberg", fromIceberg, "");
            declareStreams(session, "from_delta", fromDelta, "");
            declareOdpsIds(session, "odps_written", odps, odpsWritten, "");
            declareOdpsIds(session, "odps_from_kafka", odps, odpsFromKafka, "");
            run(
                    session,
                    "CREATE TABLE written_in "
                            + streamsColumns(written)
                            + ", 'scan.startup.mode' = 'earliest-offset',"
                            + " 'properties.isolation.level' = 'read_committed')");
            declareOdpsIds(
                    session,
                    "odps_written_in",
                    odps,
                    odpsWritten,
                    ", 'scan.partition-discovery.interval' = '1s'");
            reader =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO odps_from_kafka SELECT id, 'n',"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd')"
                                            + " FROM written_in;"
                                            + " INSERT INTO from_odps SELECT id FROM odps_written_in;"
                                            + " INSERT INTO from_iceberg SELECT id"
                                            + " FROM lake.db.ice"
                                            + LAKE_STREAMING
                                            + "; INSERT INTO from_delta SELECT id"
                                            + " FROM lake.db.dlt"
                                            + LAKE_STREAMING
                                            + "; END")
                            .jobId();
            writer =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO written SELECT id FROM gen;"
                                            + " INSERT INTO odps_written SELECT id, 'n',"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM gen;"
                                            + " INSERT INTO lake.db.ice SELECT id, 'n' FROM gen;"
                                            + " INSERT INTO lake.db.dlt SELECT id, 'n' FROM gen;"
                                            + " END")
                            .jobId();
        }

        // The reader runs first; the kill comes while the writer writes, later than in the
        // bounded sink case: after four checkpoints.
        replaceATaskManagerAfterCheckpoints(writer, 4);

        assertThat(cluster.awaitJobTermination(writer, Duration.ofMinutes(4)))
                .as(() -> cluster.jobException(writer))
                .isEqualTo("FINISHED");
        Map<String, IndependentCount> outputs =
                Map.of(
                        "streams -> odps", () -> OdpsTestTables.committedIds(odpsFromKafka),
                        "odps -> streams",
                                () -> IndependentReaders.kafkaIds(kafkaProps(), fromOdps),
                        "iceberg -> streams",
                                () -> IndependentReaders.kafkaIds(kafkaProps(), fromIceberg),
                        "delta -> streams",
                                () -> IndependentReaders.kafkaIds(kafkaProps(), fromDelta));
        try {
            Polling.poll(
                    "every id in every output of the unbounded job",
                    Duration.ofMinutes(3),
                    () -> {
                        for (IndependentCount output : outputs.values()) {
                            if (output.ids().size() < IDS) {
                                return Optional.empty();
                            }
                        }
                        return Optional.of(true);
                    });
        } finally {
            List<IdCount> counts = new ArrayList<>();
            for (Map.Entry<String, IndependentCount> output : outputs.entrySet()) {
                counts.add(IdCount.of(output.getKey(), IDS, output.getValue().ids()));
            }
            counts.forEach(count -> progress("TaskManager kill, unbounded: " + count));
            assertThat(counts).allMatch(IdCount::exactlyOnce, "every id exactly once");
        }
        cluster.cancelJob(reader);
    }

    /**
     * Bounded sources crashed while they read: the lake source reads an Iceberg and a Delta table
     * and the odps source a MaxCompute table, each holding ids 1..N in many files or splits, into
     * exactly-once topics; a TaskManager is killed after two checkpoints of the reading job, which
     * then restarts from its split assignment and finishes. Each topic must hold every id once.
     */
    @Test
    void boundedReadsSurviveAKilledTaskManager() throws Exception {
        Path warehouse = Files.createTempDirectory(workDir, "warehouse");
        ServerTable odpsSource =
                OdpsTestTables.createTable(
                        odps, "tm_kill_read_src", OdpsTestTables.idNameSchema(true));
        List<String> topics = List.of("tm-kill-read-ice", "tm-kill-read-dlt", "tm-kill-read-odps");
        for (String topic : topics) {
            kafka.createTopic(topic, 2);
        }
        // Downloads take a while, as from a remote service, so the kill meets reads in flight.
        Predicate<ServerRequest> download =
                request ->
                        request.service() == ServerRequest.Service.TUNNEL
                                && request.method().equals("GET")
                                && request.has("data");
        String reader;
        try (Session session = gateway.openSession()) {
            declareTables(session, warehouse);
            createLakeIdTables(session, "src_ice", "src_dlt");
            declareOdpsIds(session, "odps_src", odps, odpsSource, ", 'scan.split-rows' = '5000'");
            for (String topic : topics) {
                declareStreams(session, topic.replace('-', '_'), topic, "");
            }
            run(session, "SET 'execution.checkpointing.interval' = '500ms'");
            String filler =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO lake.db.src_ice SELECT id, 'n' FROM gen;"
                                            + " INSERT INTO lake.db.src_dlt SELECT id, 'n' FROM gen;"
                                            + " INSERT INTO odps_src SELECT id, 'n',"
                                            + " IF(MOD(id, 2) = 0, 'even', 'odd') FROM gen;"
                                            + " END")
                            .jobId();
            assertThat(cluster.awaitJobTermination(filler, Duration.ofMinutes(2)))
                    .as(() -> cluster.jobException(filler))
                    .isEqualTo("FINISHED");
            odps.faults().delayRequests(download, Integer.MAX_VALUE, Duration.ofMillis(400));
            run(session, "SET 'execution.checkpointing.interval' = '300ms'");
            reader =
                    run(
                                    session,
                                    "EXECUTE STATEMENT SET BEGIN"
                                            + " INSERT INTO tm_kill_read_ice SELECT id"
                                            + " FROM lake.db.src_ice /*+ OPTIONS("
                                            + "'scan.split-size' = '1') */;"
                                            + " INSERT INTO tm_kill_read_dlt SELECT id"
                                            + " FROM lake.db.src_dlt;"
                                            + " INSERT INTO tm_kill_read_odps SELECT id"
                                            + " FROM odps_src;"
                                            + " END")
                            .jobId();
        }
        try {
            cluster.awaitCompletedCheckpoints(reader, 2);
            assertThat(cluster.rest("/jobs/" + reader).path("state").asText())
                    .as("the reading job still reads when the kill comes")
                    .isEqualTo("RUNNING");
            killATaskManager("while bounded sources read");
            cluster.startTaskManager();
            assertThat(cluster.awaitJobTermination(reader, Duration.ofMinutes(4)))
                    .as(() -> cluster.jobException(reader))
                    .isEqualTo("FINISHED");
        } finally {
            odps.faults().clear();
        }
        List<IdCount> counts = new ArrayList<>();
        for (String topic : topics) {
            counts.add(IdCount.of(topic, IDS, IndependentReaders.kafkaIds(kafkaProps(), topic)));
        }
        counts.forEach(count -> progress("TaskManager kill, bounded sources: " + count));
        assertThat(counts).allMatch(IdCount::exactlyOnce, "every id exactly once");
    }

    /** Reads the ids an output holds now, with the system's own client. */
    private interface IndependentCount {
        List<Long> ids() throws Exception;
    }
}
