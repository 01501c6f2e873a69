package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Connector-testing-framework context for the source: one table {@code (value STRING)} partitioned
 * by {@code split STRING} per test case; every split data writer owns one partition and appends its
 * records there as committed rows (what a tunnel upload commit does). Writing to a partition again
 * appends to it, which the unbounded source must pick up.
 */
class OdpsSourceExternalContext implements DataStreamSourceExternalContext<String> {

    private static final String ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final OdpsTestServer server;
    private final String table;
    private final TableSchema schema;
    private int writers;

    OdpsSourceExternalContext(OdpsTestServer server) {
        this.server = server;
        this.table = OdpsSourceTestData.uniqueTable("suite");
        this.schema = new TableSchema();
        schema.addColumn(new Column("value", OdpsType.STRING));
        schema.addPartitionColumn(new Column("split", OdpsType.STRING));
        // Created up front: the suite builds the source before it writes any split.
        OdpsTestTables.createTable(server, table, schema);
    }

    @Override
    public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
        OdpsSourceBuilder<String> builder =
                OdpsSource.<String>builder()
                        .setConnection(OdpsTestTables.connection(server))
                        .setTable(table)
                        .setDeserializer(new ValueDeserializer());
        if (settings.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED) {
            builder.setDiscoveryInterval(Duration.ofMillis(200));
        }
        return builder.build();
    }

    @Override
    public ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(
            TestingSourceSettings settings) {
        String spec = "split=" + writers++;
        Column[] columns = schema.getColumns().toArray(new Column[0]);
        return new ExternalSystemSplitDataWriter<>() {
            @Override
            public void writeRecords(List<String> values) {
                List<Record> rows = new ArrayList<>(values.size());
                for (String value : values) {
                    ArrayRecord row = new ArrayRecord(columns);
                    row.setString(0, value);
                    rows.add(row);
                }
                server.store().append(OdpsTestServer.DEFAULT_PROJECT, table, spec, rows);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public List<String> generateTestData(
            TestingSourceSettings settings, int splitIndex, long seed) {
        Random random = new Random(seed);
        int count = 50 + random.nextInt(100);
        List<String> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder value = new StringBuilder("split" + splitIndex + "-" + i + "-");
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            records.add(value.toString());
        }
        return records;
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
        return "OdpsSourceExternalContext{table=" + table + '}';
    }

    /** The {@code value} column. */
    private static final class ValueDeserializer implements OdpsRecordDeserializer<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String deserialize(Record record, String partitionSpec) {
            return record.getString(0);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
