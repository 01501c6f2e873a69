package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.util.function.ThrowingRunnable;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The upsert writer's flush while MaxCompute is briefly unavailable, against the {@link
 * OdpsTestServer} whose front end restarts (connections close, the port refuses for a while): an
 * outage the retries ({@code client.max-retries} with backoff) outlast costs nothing, every change
 * arrives and the committed rows are the last change per key; an outage that outlasts them, or a
 * send the service refuses, fails naming the session, the partition and the retries.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OdpsUpsertWriterOutageITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    private static final String PARTITION = "ds=1";
    private static final Duration OUTAGE = Duration.ofSeconds(2);

    /** Retry pauses of 0.2, 0.4, 0.8, 1.6 and 3.2 s: together longer than {@link #OUTAGE}. */
    private static OdpsConnectionConfig outlastsOutage() {
        return OdpsTestTables.connection(ODPS, 5, Duration.ofMillis(200));
    }

    /** Retry pauses of 0.1 and 0.2 s: over long before a restart of {@link #OUTAGE} ends. */
    private static OdpsConnectionConfig givesUpEarly() {
        return OdpsTestTables.connection(ODPS, 2, Duration.ofMillis(100));
    }

    @AfterEach
    void serviceIsBack() throws Exception {
        ODPS.faults().clear();
        CommonTestUtils.waitUtil(
                () -> !refusesConnections(),
                Duration.ofSeconds(30),
                "waiting for the test server to listen again");
    }

    @Test
    void flushThatMeetsRefusedConnectionsSendsEveryChangeOnceWhenTheServiceIsBack()
            throws Exception {
        ServerTable table = pkTable("outage_refused");
        List<Change> changes = changes();
        OdpsCommittable committable =
                writeAndFlush(table, changes, () -> restartUntilRefusing(OUTAGE));
        assertThat(ODPS.receivedUpsertChanges(committable.sessionId()))
                .as("changes the session received: each once")
                .isEqualTo(changes.size());
        commitAndCheck(table, committable, changes);
    }

    /**
     * A restart cuts off bucket 0's request before it takes effect, or after it took effect (the
     * answer is lost). Either way the bucket is sent again; a request that took effect arrives
     * twice in a row (bucket 0's in the second case, others' when the restart happened to catch
     * them likewise), which leaves the same last change per key.
     */
    @ParameterizedTest(name = "restart {0} the request takes effect")
    @ValueSource(strings = {"before", "after"})
    void requestCutOffByARestartIsSentAgainAndLeavesTheSameRows(String when) throws Exception {
        ServerTable table = pkTable("outage_cut_off_" + when);
        List<Change> changes = changes();
        Predicate<ServerRequest> bucket0 = put(table, "0");
        OdpsCommittable committable =
                writeAndFlush(
                        table,
                        changes,
                        () -> {
                            if (when.equals("before")) {
                                ODPS.faults().restartBefore(bucket0, 1, OUTAGE);
                            } else {
                                ODPS.faults().restartAfter(bucket0, 1, OUTAGE);
                            }
                        });
        assertThat(ODPS.faults().pending()).isZero();
        int received = ODPS.receivedUpsertChanges(committable.sessionId());
        if (when.equals("before")) {
            assertThat(received).isGreaterThanOrEqualTo(changes.size());
        } else {
            assertThat(received).isGreaterThan(changes.size());
        }
        commitAndCheck(table, committable, changes);
    }

    @Test
    void serverErrorsAreRetriedWithinTheLimit() throws Exception {
        ServerTable table = pkTable("outage_server_errors");
        List<Change> changes = changes();
        OdpsCommittable committable =
                writeAndFlush(
                        table, changes, () -> ODPS.faults().failRequests(put(table, null), 4, 503));
        assertThat(ODPS.faults().pending()).isZero();
        assertThat(ODPS.receivedUpsertChanges(committable.sessionId())).isEqualTo(changes.size());
        commitAndCheck(table, committable, changes);
    }

    @Test
    void outageThatOutlastsTheRetriesFailsNamingSessionPartitionAndRetries() throws Exception {
        ServerTable table = pkTable("outage_too_long");
        try (OdpsWriter<Change> writer = writer(table, givesUpEarly())) {
            write(writer, changes());
            CompletableFuture<Void> restart = restartUntilRefusing(Duration.ofSeconds(4));

            assertThatThrownBy(writer::prepareCommit)
                    .isInstanceOf(IOException.class)
                    .hasMessageMatching(
                            "Could not send the buffered changes of upsert session [0-9a-f-]{36}"
                                    + " of partition ds=1 of table test_project.outage_too_long:"
                                    + " could not connect to MaxCompute at 127.0.0.1:\\d+ in 3"
                                    + " attempt\\(s\\) \\(client.max-retries = 2\\): .*(?s).*")
                    .hasMessageContaining("Connection refused");
            assertThat(restart).as("failed while the service was still down").isNotDone();
            restart.get(10, TimeUnit.SECONDS);
        }
        assertThat(rowsByKey(table)).isEmpty();
    }

    @Test
    void sendTheServiceRefusesIsNotRetried() throws Exception {
        ServerTable table = pkTable("outage_refused_send");
        try (OdpsWriter<Change> writer = writer(table, outlastsOutage())) {
            write(writer, changes());
            ODPS.expireUpsertSessions();
            assertThatThrownBy(writer::prepareCommit)
                    .isInstanceOf(IOException.class)
                    .hasMessageMatching(
                            "Could not send the buffered changes of upsert session [0-9a-f-]{36}"
                                    + " of partition ds=1 of table"
                                    + " test_project.outage_refused_send: .*(?s).*")
                    .hasMessageContaining("is expired")
                    .hasMessageContaining("HTTP 409, a refusal that is not retried");
        }
        List<String> bucketsSent =
                ODPS.requests().stream()
                        .filter(put(table, null))
                        .map(r -> r.param("bucketid"))
                        .collect(Collectors.toList());
        assertThat(bucketsSent).as("no bucket sent twice").doesNotHaveDuplicates().isNotEmpty();
    }

    // ---------------------------------------------------------------------------------------

    /** Upserts and deletes of 200 keys, several per key, some deleted and some back again. */
    private static List<Change> changes() {
        List<Change> changes = new ArrayList<>();
        for (long k = 0; k < 200; k++) {
            changes.add(new Change(k, 1, false));
        }
        for (long k = 0; k < 200; k += 3) {
            changes.add(new Change(k, 2, false));
        }
        for (long k = 0; k < 200; k += 5) {
            changes.add(new Change(k, 0, true));
        }
        for (long k = 0; k < 200; k += 10) {
            changes.add(new Change(k, 3, false));
        }
        return changes;
    }

    private static Map<Long, Long> lastChangePerKey(List<Change> changes) {
        Map<Long, Long> rows = new TreeMap<>();
        for (Change change : changes) {
            if (change.delete) {
                rows.remove(change.k);
            } else {
                rows.put(change.k, change.v);
            }
        }
        return rows;
    }

    /** The committed rows by key; a key committed twice would fail here. */
    private static Map<Long, Long> rowsByKey(ServerTable table) {
        Map<Long, Long> rows = new TreeMap<>();
        for (long[] row : OdpsTestTables.committedKeyValues(table)) {
            assertThat(rows.put(row[0], row[1])).as("rows of key %s", row[0]).isNull();
        }
        return rows;
    }

    private static ServerTable pkTable(String name) {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("k", OdpsType.BIGINT));
        schema.addColumn(new Column("v", OdpsType.BIGINT));
        schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        return ODPS.store()
                .createTable(
                        OdpsTestServer.DEFAULT_PROJECT, null, name, schema, List.of("k"), null);
    }

    /** The data requests of the table's upsert sessions, of one bucket or (null) all. */
    private static Predicate<ServerRequest> put(ServerTable table, String bucket) {
        return r ->
                r.method().equals("PUT")
                        && r.resource().contains("/tables/" + table.name() + "/")
                        && (bucket == null || bucket.equals(r.param("bucketid")));
    }

    @SuppressWarnings("unchecked")
    private static OdpsWriter<Change> writer(ServerTable table, OdpsConnectionConfig connection)
            throws IOException {
        OdpsSink<Change> sink =
                OdpsSink.<Change>builder()
                        .setConnection(connection)
                        .setTable(table.name())
                        .setUpsert(true)
                        .setSerializationSchema(new Changes())
                        .build();
        return (OdpsWriter<Change>) sink.createWriter(new TestWriterInitContext());
    }

    private static void write(OdpsWriter<Change> writer, List<Change> changes) throws Exception {
        for (Change change : changes) {
            writer.write(change, TestWriterInitContext.NO_ELEMENT_CONTEXT);
        }
    }

    /**
     * Writes the changes with retries that outlast {@link #OUTAGE}, injects the fault, then sends
     * them as the checkpoint does; the session that holds them.
     */
    private static OdpsCommittable writeAndFlush(
            ServerTable table, List<Change> changes, ThrowingRunnable<Exception> fault)
            throws Exception {
        try (OdpsWriter<Change> writer = writer(table, outlastsOutage())) {
            write(writer, changes);
            fault.run();
            Collection<OdpsCommittable> committables = writer.prepareCommit();
            assertThat(committables).hasSize(1);
            return committables.iterator().next();
        }
    }

    /** Commits the session; the table then holds the last change per key. */
    private static void commitAndCheck(
            ServerTable table, OdpsCommittable committable, List<Change> changes) throws Exception {
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            RecordedCommitRequest request = new RecordedCommitRequest(committable);
            committer.commit(List.of(request));
            assertThat(request.outcome).isEqualTo("committed");
        }
        assertThat(rowsByKey(table)).isEqualTo(lastChangePerKey(changes));
    }

    /**
     * Restarts the server's front end and returns once it refuses connections; the future completes
     * once it listens again.
     */
    private static CompletableFuture<Void> restartUntilRefusing(Duration downtime)
            throws Exception {
        CompletableFuture<Void> restart =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                ODPS.restartFrontEnd(downtime);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        CommonTestUtils.waitUtil(
                OdpsUpsertWriterOutageITCase::refusesConnections,
                Duration.ofSeconds(10),
                "waiting for the test server to refuse connections");
        return restart;
    }

    private static boolean refusesConnections() {
        int port = URI.create(ODPS.endpoint()).getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** One change of the primary-key table {@code (k BIGINT, v BIGINT)}. */
    private static final class Change {
        final long k;
        final long v;
        final boolean delete;

        Change(long k, long v, boolean delete) {
            this.k = k;
            this.v = v;
            this.delete = delete;
        }
    }

    /** Writes changes into partition {@code ds=1}; deletes by key. */
    private static final class Changes implements OdpsRecordSerializationSchema<Change> {
        @Override
        public void serialize(Change change, Record target) {
            target.setBigint(0, change.k);
            target.setBigint(1, change.v);
        }

        @Override
        public String partitionOf(Change change) {
            return PARTITION;
        }

        @Override
        public OdpsChangeKind changeKindOf(Change change) {
            return change.delete ? OdpsChangeKind.DELETE : OdpsChangeKind.UPSERT;
        }
    }
}
