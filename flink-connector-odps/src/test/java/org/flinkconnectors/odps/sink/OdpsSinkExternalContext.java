package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;
import org.apache.flink.streaming.api.CheckpointingMode;

import com.aliyun.odps.Column;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.Partition;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordReader;
import com.aliyun.odps.tunnel.TableTunnel;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Connector-testing-framework context for the sink: one table {@code (value STRING)} partitioned by
 * {@code bucket STRING} per test case, written with dynamic partitions. The reader reads the
 * committed rows back through the plain SDK (tunnel downloads), only what it has not returned yet.
 */
class OdpsSinkExternalContext implements DataStreamSinkV2ExternalContext<String> {

    private static final int BUCKETS = 3;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final OdpsTestServer server;
    private final String table;

    OdpsSinkExternalContext(OdpsTestServer server) {
        this.server = server;
        this.table = "sink_suite_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("value", OdpsType.STRING));
        schema.addPartitionColumn(new Column("bucket", OdpsType.STRING));
        OdpsTestTables.createTable(server, table, schema);
    }

    @Override
    public Sink<String> createSink(TestingSinkSettings settings) {
        DeliveryGuarantee guarantee =
                settings.getCheckpointingMode() == CheckpointingMode.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        return OdpsSink.<String>builder()
                .setConnection(OdpsTestTables.connection(server))
                .setTable(table)
                .setDeliveryGuarantee(guarantee)
                .setMaxBlockRows(50)
                .setSerializationSchema(new BucketedValues())
                .build();
    }

    @Override
    public ExternalSystemDataReader<String> createSinkDataReader(TestingSinkSettings settings) {
        return new CommittedRowsReader(server.newOdps(), table);
    }

    @Override
    public List<String> generateTestData(TestingSinkSettings settings, long seed) {
        Random random = new Random(seed);
        int count = 200 + random.nextInt(300);
        List<String> data = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder value = new StringBuilder(i + "-");
            int length = 1 + random.nextInt(30);
            for (int c = 0; c < length; c++) {
                value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            data.add(value.toString());
        }
        return data;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of();
    }

    @Override
    public void close() {
        server.store().dropTable(OdpsTestServer.DEFAULT_PROJECT, null, table);
    }

    @Override
    public String toString() {
        return "OdpsSinkExternalContext{table=" + table + '}';
    }

    /** The string into {@code value}, its hash picks one of three partitions. */
    private static final class BucketedValues implements OdpsRecordSerializationSchema<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void serialize(String element, Record target) {
            target.setString(0, element);
        }

        @Override
        public String partitionOf(String element) {
            return "bucket=b" + Math.floorMod(element.hashCode(), BUCKETS);
        }
    }

    /** Downloads, per partition, the committed rows after those it already returned. */
    private static final class CommittedRowsReader implements ExternalSystemDataReader<String> {
        private final Odps odps;
        private final TableTunnel tunnel;
        private final String table;
        private final Map<String, Long> returned = new HashMap<>();

        CommittedRowsReader(Odps odps, String table) {
            this.odps = odps;
            this.tunnel = new TableTunnel(odps);
            this.table = table;
        }

        @Override
        public List<String> poll(Duration timeout) {
            List<String> values = new ArrayList<>();
            try {
                for (Partition partition : odps.tables().get(table).getPartitions()) {
                    readNewRows(partition.getPartitionSpec(), values);
                }
            } catch (Exception e) {
                throw new IllegalStateException("Could not read table " + table, e);
            }
            return values;
        }

        private void readNewRows(PartitionSpec spec, List<String> values) throws Exception {
            String key = spec.toString();
            TableTunnel.DownloadSession session =
                    tunnel.createDownloadSession(OdpsTestServer.DEFAULT_PROJECT, table, spec);
            long from = returned.getOrDefault(key, 0L);
            long count = session.getRecordCount() - from;
            if (count <= 0) {
                return;
            }
            try (RecordReader reader = session.openRecordReader(from, count)) {
                for (Record record = reader.read(); record != null; record = reader.read()) {
                    values.add(record.getString(0));
                }
            }
            returned.put(key, from + count);
        }

        @Override
        public void close() {}
    }
}
