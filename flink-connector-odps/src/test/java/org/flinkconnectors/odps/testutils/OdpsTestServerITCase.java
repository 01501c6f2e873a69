package org.flinkconnectors.odps.testutils;

import org.apache.flink.core.testutils.CommonTestUtils;

import com.aliyun.odps.Column;
import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordReader;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proves the {@link OdpsTestServer} with the plain ODPS SDK alone, no connector code. */
class OdpsTestServerITCase {

    @RegisterExtension static final OdpsTestServer SERVER = new OdpsTestServer();

    private static final String PROJECT = OdpsTestServer.DEFAULT_PROJECT;

    private Odps odps;
    private TableTunnel tunnel;

    @BeforeEach
    void setUp() {
        odps = SERVER.newOdps();
        tunnel = SERVER.newTableTunnel(odps);
        SERVER.faults().clear();
    }

    @Test
    void createUploadCommitAndDownloadWithRangesAndProjection() throws Exception {
        String table = "orders_" + System.nanoTime();
        odps.tables().create(PROJECT, table, ordersSchema(), true);
        Table created = odps.tables().get(PROJECT, table);
        created.createPartition(new PartitionSpec("ds=20261121"));
        assertThat(created.getSchema().getColumns())
                .extracting(Column::getName)
                .containsExactly("id", "name", "price");
        assertThat(created.getSchema().getPartitionColumns())
                .extracting(Column::getName)
                .containsExactly("ds");

        PartitionSpec partition = new PartitionSpec("ds=20261121");
        TableTunnel.UploadSession upload = tunnel.createUploadSession(PROJECT, table, partition);
        writeBlock(upload, 0, 0, 60);
        writeBlock(upload, 1, 60, 40);
        assertThat(created.getPartition(partition).getRecordNum()).isZero();
        upload.commit(new Long[] {0L, 1L});

        assertThat(odps.tables().get(PROJECT, table).getPartitions())
                .extracting(p -> p.getPartitionSpec().toString())
                .containsExactly("ds='20261121'");
        TableTunnel.DownloadSession download =
                tunnel.createDownloadSession(PROJECT, table, partition);
        assertThat(download.getRecordCount()).isEqualTo(100);
        assertThat(ids(download.openRecordReader(0, 100))).isEqualTo(range(0, 100));
        assertThat(ids(download.openRecordReader(30, 45))).isEqualTo(range(30, 45));

        List<Column> projected = List.of(download.getSchema().getColumn("price"));
        try (RecordReader reader = download.openRecordReader(10, 2, false, projected)) {
            Record record = reader.read();
            assertThat(record.getColumnCount()).isEqualTo(1);
            assertThat(record.getDouble("price")).isEqualTo(10 * 1.5);
        }
        assertThat(SERVER.requests())
                .anySatisfy(r -> assertThat(r.param("columns")).isEqualTo("price"));
    }

    @Test
    void overwriteReplacesAndSnapshotsStayStable() throws Exception {
        String table = "plain_" + System.nanoTime();
        odps.tables().create(PROJECT, table, plainSchema(), true);
        TableTunnel.UploadSession first = tunnel.createUploadSession(PROJECT, table);
        writeBlock(first, 0, 0, 10);
        first.commit(new Long[] {0L});
        TableTunnel.DownloadSession before = tunnel.createDownloadSession(PROJECT, table);

        TableTunnel.UploadSession overwrite = tunnel.createUploadSession(PROJECT, table, true);
        writeBlock(overwrite, 7, 100, 3);
        overwrite.commit(new Long[] {7L});

        assertThat(ids(before.openRecordReader(0, 10))).isEqualTo(range(0, 10));
        TableTunnel.DownloadSession after = tunnel.createDownloadSession(PROJECT, table);
        assertThat(ids(after.openRecordReader(0, after.getRecordCount()))).isEqualTo(range(100, 3));
        assertThat(tunnel.getUploadSession(PROJECT, table, overwrite.getId()).getStatus())
                .isEqualTo(TableTunnel.UploadStatus.CLOSED);
    }

    @Test
    void ddlThroughSqlInstances() throws Exception {
        String table = "ddl_" + System.nanoTime();
        odps.tables().create(PROJECT, table, ordersSchema(), true);
        odps.tables().create(PROJECT, table, ordersSchema(), true);
        Table created = odps.tables().get(PROJECT, table);
        created.createPartition(new PartitionSpec("ds=1"));
        created.createPartition(new PartitionSpec("ds=2"));
        created.createPartition(new PartitionSpec("ds=2"), true);
        assertThatThrownBy(() -> created.createPartition(new PartitionSpec("ds=2")))
                .isInstanceOf(OdpsException.class)
                .hasMessageContaining("already exists");
        created.deletePartition(new PartitionSpec("ds=1"));
        assertThat(created.getPartitionSpecs())
                .extracting(PartitionSpec::toString)
                .containsExactly("ds='2'");
        assertThat(odps.tables().exists(PROJECT, table)).isTrue();
        assertThat(odps.tables()).extracting(Table::getName).contains(table);

        odps.tables().delete(PROJECT, table);
        assertThat(odps.tables().exists(PROJECT, table)).isFalse();
        assertThatThrownBy(() -> odps.tables().get(PROJECT, table).reload())
                .isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void wrongAccessKeyIsRejectedLikeMaxCompute() {
        Odps wrong = new Odps(new AliyunAccount(OdpsTestServer.ACCESS_ID, "not-the-key"));
        wrong.setEndpoint(SERVER.endpoint());
        wrong.setDefaultProject(PROJECT);
        assertThatThrownBy(() -> wrong.projects().get(PROJECT).reload())
                .isInstanceOf(OdpsException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void transientServerErrorsAreRetriedBySdkAndTruncatedDownloadsDetected() throws Exception {
        String table = "faults_" + System.nanoTime();
        odps.tables().create(PROJECT, table, plainSchema(), true);
        TableTunnel.UploadSession upload = tunnel.createUploadSession(PROJECT, table);
        writeBlock(upload, 0, 0, 500);
        upload.commit(new Long[] {0L});

        SERVER.faults().failRequests(r -> r.has("data"), 1, 503);
        TableTunnel.DownloadSession download = tunnel.createDownloadSession(PROJECT, table);
        assertThat(ids(download.openRecordReader(0, 500))).isEqualTo(range(0, 500));
        assertThat(SERVER.faults().pending()).isZero();

        SERVER.faults().truncateDownloads(r -> true, 1, 200);
        assertThat(ids(download.openRecordReader(0, 500))).isEqualTo(range(0, 500));
        assertThat(SERVER.faults().pending()).isZero();

        SERVER.faults().failRequests(r -> r.has("downloads"), 1, 400);
        assertThatThrownBy(() -> tunnel.createDownloadSession(PROJECT, table))
                .isInstanceOf(TunnelException.class)
                .hasMessageContaining("Injected fault");
    }

    /**
     * A front-end restart at an upload commit: the SDK gets an I/O error (no HTTP answer), the port
     * refuses connections while the server is down, and afterwards the same client works on the
     * same store: the rows committed before are there and the session is still known, not committed
     * if the restart came before the commit took effect, committed if after.
     */
    @ParameterizedTest(name = "after the commit took effect: {0}")
    @ValueSource(booleans = {false, true})
    void aFrontEndRestartAtACommitDropsTheConnectionAndKeepsTheStore(boolean afterEffect)
            throws Exception {
        String table = "restart_" + afterEffect + "_" + System.nanoTime();
        odps.tables().create(PROJECT, table, plainSchema(), true);
        TableTunnel.UploadSession before = tunnel.createUploadSession(PROJECT, table);
        writeBlock(before, 0, 0, 10);
        before.commit(new Long[] {0L});
        TableTunnel.UploadSession upload = tunnel.createUploadSession(PROJECT, table);
        writeBlock(upload, 0, 10, 5);

        Predicate<ServerRequest> commit =
                r -> r.method().equals("POST") && upload.getId().equals(r.param("uploadid"));
        Duration downtime = Duration.ofSeconds(3);
        if (afterEffect) {
            SERVER.faults().restartAfter(commit, 1, downtime);
        } else {
            SERVER.faults().restartBefore(commit, 1, downtime);
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> upload.commit(new Long[] {0L}))
                .isInstanceOf(TunnelException.class)
                .hasRootCauseInstanceOf(IOException.class);
        int port = URI.create(SERVER.endpoint()).getPort();
        assertThat(accepts(port)).as("the port accepts connections during the downtime").isFalse();

        CommonTestUtils.waitUtil(
                () -> accepts(port),
                Duration.ofSeconds(30),
                Duration.ofMillis(50),
                "the server listening again");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(downtime);
        assertThat(SERVER.faults().pending()).isZero();
        TableTunnel.UploadStatus status =
                tunnel.getUploadSession(PROJECT, table, upload.getId()).getStatus();
        if (afterEffect) {
            assertThat(status).isEqualTo(TableTunnel.UploadStatus.CLOSED);
        } else {
            assertThat(status).isEqualTo(TableTunnel.UploadStatus.NORMAL);
            upload.commit(new Long[] {0L});
        }
        TableTunnel.DownloadSession download = tunnel.createDownloadSession(PROJECT, table);
        assertThat(ids(download.openRecordReader(0, download.getRecordCount())))
                .isEqualTo(range(0, 15));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TableSchema ordersSchema() {
        TableSchema schema = plainSchema();
        schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        return schema;
    }

    private static TableSchema plainSchema() {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", OdpsType.BIGINT));
        schema.addColumn(new Column("name", OdpsType.STRING));
        schema.addColumn(new Column("price", OdpsType.DOUBLE));
        return schema;
    }

    private static void writeBlock(TableTunnel.UploadSession session, long block, int from, int n)
            throws Exception {
        try (RecordWriter writer = session.openRecordWriter(block)) {
            for (int i = from; i < from + n; i++) {
                Record record = session.newRecord();
                record.setBigint("id", (long) i);
                record.setString("name", "n" + i);
                record.setDouble("price", i * 1.5);
                writer.write(record);
            }
        }
    }

    private static List<Long> ids(RecordReader reader) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (RecordReader r = reader) {
            Record record;
            while ((record = r.read()) != null) {
                ids.add(record.getBigint("id"));
            }
        }
        return ids;
    }

    private static List<Long> range(long from, long count) {
        return java.util.stream.LongStream.range(from, from + count)
                .boxed()
                .collect(Collectors.toList());
    }
}
