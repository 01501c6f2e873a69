package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordReader;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.streams.UpsertStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves the upsert tunnel of the {@link OdpsTestServer} with the plain ODPS SDK alone: upserts and
 * deletes become visible by primary key on commit, sessions resume by id, abort discards, and only
 * primary-key tables take upserts.
 */
class OdpsTestServerUpsertITCase {

    @RegisterExtension static final OdpsTestServer SERVER = new OdpsTestServer();

    private static final String PROJECT = OdpsTestServer.DEFAULT_PROJECT;

    private Odps odps;
    private TableTunnel tunnel;

    @BeforeEach
    void setUp() {
        odps = SERVER.newOdps();
        tunnel = SERVER.newTableTunnel(odps);
    }

    @Test
    void upsertsAndDeletesBecomeVisibleByKeyOnCommitOnly() throws Exception {
        String table = createPkTable("upsert_basic", false);
        assertThat(odps.tables().get(PROJECT, table).getPrimaryKey()).containsExactly("id");
        try (TableTunnel.UpsertSession first = tunnel.buildUpsertSession(PROJECT, table).build()) {
            UpsertStream stream = first.buildUpsertStream().build();
            for (long id = 0; id < 10; id++) {
                stream.upsert(row(first, id, "v1-" + id));
            }
            stream.close();
            first.commit(false);
            assertThat(first.getStatus()).isEqualTo("committed");
        }
        assertThat(download(table, null)).hasSize(10).containsEntry(3L, "v1-3");

        try (TableTunnel.UpsertSession second =
                tunnel.buildUpsertSession(PROJECT, table).setSlotNum(2).build()) {
            UpsertStream stream = second.buildUpsertStream().build();
            for (long id = 0; id < 5; id++) {
                stream.upsert(row(second, id, "v2-" + id));
            }
            for (long id = 5; id < 8; id++) {
                stream.delete(row(second, id, null));
            }
            stream.upsert(row(second, 20, "new"));
            stream.upsert(row(second, 20, "newer"));
            stream.delete(row(second, 99, null));
            stream.close();
            assertThat(download(table, null)).as("nothing visible before commit").hasSize(10);

            second.commit(false);
            Map<Long, String> expected = new TreeMap<>();
            for (long id = 0; id < 5; id++) {
                expected.put(id, "v2-" + id);
            }
            expected.put(8L, "v1-8");
            expected.put(9L, "v1-9");
            expected.put(20L, "newer");
            assertThat(download(table, null)).isEqualTo(expected);

            // Re-committing a committed session answers committed and changes nothing.
            second.commit(false);
            assertThat(second.getStatus()).isEqualTo("committed");
            assertThat(download(table, null)).isEqualTo(expected);
        }
        assertThat(SERVER.requests())
                .filteredOn(r -> r.method().equals("PUT") && r.has("upsertid"))
                .extracting(r -> r.param("bucketid"))
                .as("rows are routed to several buckets by key hash")
                .hasSizeGreaterThan(1);
    }

    @Test
    void sessionResumedByIdCommitsWhatWasWritten() throws Exception {
        String table = createPkTable("upsert_resume", true);
        odps.tables().get(PROJECT, table).createPartition(new PartitionSpec("ds=a"));
        odps.tables().get(PROJECT, table).createPartition(new PartitionSpec("ds=b"));
        String id;
        try (TableTunnel.UpsertSession session =
                tunnel.buildUpsertSession(PROJECT, table).setPartitionSpec("ds=a").build()) {
            UpsertStream stream = session.buildUpsertStream().build();
            stream.upsert(row(session, 1, "one"));
            stream.upsert(row(session, 2, "two"));
            stream.close();
            id = session.getId();
        }
        try (TableTunnel.UpsertSession resumed =
                tunnel.buildUpsertSession(PROJECT, table)
                        .setPartitionSpec("ds=a")
                        .setUpsertId(id)
                        .build()) {
            assertThat(resumed.getStatus()).isEqualTo("normal");
            resumed.commit(false);
        }
        assertThat(download(table, "ds=a")).containsOnlyKeys(1L, 2L);
        assertThat(download(table, "ds=b")).isEmpty();
    }

    @Test
    void abortDiscardsAndAbortedSessionCannotCommit() throws Exception {
        String table = createPkTable("upsert_abort", false);
        try (TableTunnel.UpsertSession session =
                tunnel.buildUpsertSession(PROJECT, table).build()) {
            UpsertStream stream = session.buildUpsertStream().build();
            stream.upsert(row(session, 1, "gone"));
            stream.close();
            session.abort();
            assertThat(session.getStatus()).isEqualTo("aborted");
            assertThatThrownBy(() -> session.commit(false))
                    .isInstanceOf(TunnelException.class)
                    .hasMessageContaining("aborted");
        }
        assertThat(download(table, null)).isEmpty();
    }

    @Test
    void expiredAndForgottenSessions() throws Exception {
        String table = createPkTable("upsert_expire", false);
        TableTunnel.UpsertSession committed = tunnel.buildUpsertSession(PROJECT, table).build();
        UpsertStream stream = committed.buildUpsertStream().build();
        stream.upsert(row(committed, 1, "kept"));
        stream.close();
        committed.commit(false);
        committed.close();
        try (TableTunnel.UpsertSession open = tunnel.buildUpsertSession(PROJECT, table).build()) {
            UpsertStream openStream = open.buildUpsertStream().build();
            openStream.upsert(row(open, 2, "expires"));
            openStream.close();
            SERVER.expireUpsertSessions();
            assertThat(open.getStatus()).isEqualTo("expired");
            assertThatThrownBy(() -> open.commit(false)).hasMessageContaining("expired");
        }
        SERVER.forgetUpsertSessions();
        assertThatThrownBy(
                        () ->
                                tunnel.buildUpsertSession(PROJECT, table)
                                        .setUpsertId(committed.getId())
                                        .build())
                .isInstanceOfSatisfying(
                        TunnelException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("UpsertSessionNotFound"));
        assertThat(download(table, null)).containsOnlyKeys(1L);
    }

    @Test
    void tableWithoutPrimaryKeyRefusesUpsertSessions() throws Exception {
        String table = "no_pk_" + System.nanoTime();
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", OdpsType.BIGINT));
        odps.tables().create(PROJECT, table, schema, true);
        assertThatThrownBy(() -> tunnel.buildUpsertSession(PROJECT, table).build())
                .isInstanceOf(TunnelException.class)
                .hasMessageContaining(table)
                .hasMessageContaining("no primary key");
    }

    private String createPkTable(String prefix, boolean partitioned) throws Exception {
        String table = prefix + "_" + System.nanoTime();
        TableSchema schema = new TableSchema();
        Column id = new Column("id", OdpsType.BIGINT);
        id.setNullable(false);
        schema.addColumn(id);
        schema.addColumn(new Column("name", OdpsType.STRING));
        if (partitioned) {
            schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        }
        odps.tables()
                .newTableCreator(PROJECT, table, schema)
                .transactionTable()
                .withPrimaryKeys(List.of("id"))
                .create();
        return table;
    }

    private static Record row(TableTunnel.UpsertSession session, long id, String name) {
        Record record = session.newRecord();
        record.setBigint("id", id);
        if (name != null) {
            record.setString("name", name);
        }
        return record;
    }

    /** The committed rows as id to name, read through a tunnel download. */
    private Map<Long, String> download(String table, String partition) throws Exception {
        TableTunnel.DownloadSession session =
                partition == null
                        ? tunnel.createDownloadSession(PROJECT, table)
                        : tunnel.createDownloadSession(
                                PROJECT, table, new PartitionSpec(partition));
        Map<Long, String> rows = new TreeMap<>();
        try (RecordReader reader = session.openRecordReader(0, session.getRecordCount())) {
            Record record;
            while ((record = reader.read()) != null) {
                rows.put(record.getBigint("id"), record.getString("name"));
            }
        }
        return rows;
    }
}
