package org.flinkconnectors.odps.testutils;

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

import java.util.ArrayList;
import java.util.List;
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
