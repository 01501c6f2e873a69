package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Rows, deserializers and request filters shared by the source tests. */
final class OdpsSourceTestData {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private OdpsSourceTestData() {}

    /** A table name not used before in this JVM. */
    static String uniqueTable(String prefix) {
        return prefix + "_" + TABLES.incrementAndGet();
    }

    static void append(OdpsTestServer server, String table, String spec, long from, int count) {
        server.store()
                .append(
                        OdpsTestServer.DEFAULT_PROJECT,
                        table,
                        spec,
                        OdpsTestTables.idNameRows(from, count, id -> "n" + id));
    }

    /** Replaces the rows of a partition with ids {@code [from, from + count)}. */
    static void overwrite(OdpsTestServer server, String table, String spec, long from, int count) {
        server.store()
                .overwrite(
                        OdpsTestServer.DEFAULT_PROJECT,
                        table,
                        spec,
                        OdpsTestTables.idNameRows(from, count, id -> "n" + id));
    }

    /** What {@link SpecAndId} makes of ids {@code [from, from + count)} of a partition. */
    static List<String> expected(String spec, long from, int count) {
        List<String> values = new ArrayList<>(count);
        for (long id = from; id < from + count; id++) {
            values.add(spec + "/" + id);
        }
        return values;
    }

    static OdpsSourceBuilder<String> builder(OdpsTestServer server, String table) {
        return OdpsSource.<String>builder()
                .setConnection(OdpsTestTables.connection(server))
                .setTable(table)
                .setDeserializer(new SpecAndId());
    }

    /** The tunnel requests the source made for {@code table}. */
    static List<ServerRequest> tunnelRequests(OdpsTestServer server, String table) {
        return server.requests().stream()
                .filter(r -> r.service() == ServerRequest.Service.TUNNEL)
                .filter(r -> r.resource().endsWith("/tables/" + table))
                .collect(Collectors.toList());
    }

    /** The partitions download sessions were created on, without quotes. */
    static List<String> sessionPartitions(OdpsTestServer server, String table) {
        return tunnelRequests(server, table).stream()
                .filter(r -> r.method().equals("POST") && r.has("downloads"))
                .map(r -> r.param("partition") == null ? "" : r.param("partition").replace("'", ""))
                .collect(Collectors.toList());
    }

    /** The data downloads (row range reads) the source made. */
    static List<ServerRequest> dataRequests(OdpsTestServer server, String table) {
        return tunnelRequests(server, table).stream()
                .filter(r -> r.has("data"))
                .collect(Collectors.toList());
    }

    /** {@code <spec>/<id>}: which row of which partition. */
    static final class SpecAndId implements OdpsRecordDeserializer<String> {
        private static final long serialVersionUID = 1L;
        private int idIndex = -1;

        @Override
        public void open(TableSchema tableSchema, List<String> readColumns) {
            idIndex = readColumns.indexOf("id");
            if (idIndex < 0) {
                throw new IllegalStateException("Column id is not read: " + readColumns);
            }
        }

        @Override
        public String deserialize(Record record, String partitionSpec) {
            return partitionSpec + "/" + record.getBigint(idIndex);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /** {@code <spec>/<columns in the record>/<first column as a string>}. */
    static final class FirstColumnAsString implements OdpsRecordDeserializer<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String deserialize(Record record, String partitionSpec) {
            return partitionSpec + "/" + record.getColumnCount() + "/" + record.getString(0);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
