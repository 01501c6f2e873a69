package org.flinkconnectors.examples;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.sink.OdpsRecordSerializationSchema;
import org.flinkconnectors.odps.sink.OdpsSink;
import org.flinkconnectors.odps.source.OdpsRecordDeserializer;
import org.flinkconnectors.odps.source.OdpsSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ParameterTool;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import java.util.List;

/**
 * The {@code odps} connector (MaxCompute) from the DataStream API: creates a day-partitioned table
 * with the ODPS SDK if it is missing, writes ids into three partitions exactly once with an {@link
 * OdpsSink}, and reads two of the partitions back with a bounded {@link OdpsSource}.
 *
 * <p>Parameters, as {@code --key value} or {@code -Dkey=value}: {@code odps.endpoint}, {@code
 * odps.project}, {@code odps.access-id}, {@code odps.access-key} (required), {@code table} (default
 * {@code events}), {@code rows} (default 900).
 */
public final class OdpsExample {

    private OdpsExample() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params =
                ParameterTool.fromSystemProperties().mergeWith(ParameterTool.fromArgs(args));
        OdpsConnectionConfig connection =
                OdpsConnectionConfig.builder()
                        .endpoint(params.getRequired("odps.endpoint"))
                        .project(params.getRequired("odps.project"))
                        .accessId(params.getRequired("odps.access-id"))
                        .accessKey(params.getRequired("odps.access-key"))
                        .build();
        String table = params.get("table", "events");
        long rows = params.getLong("rows", 900);

        // The sink writes into an existing table; create it with the SDK the connector brings.
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", OdpsType.BIGINT));
        schema.addColumn(new Column("name", OdpsType.STRING));
        schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        connection
                .createOdps()
                .tables()
                .newTableCreator(connection.project(), table, schema)
                .ifNotExists()
                .create();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // Exactly-once: the tunnel upload sessions are committed when a checkpoint completes.
        env.enableCheckpointing(1000);
        env.fromSequence(1, rows)
                .sinkTo(
                        OdpsSink.<Long>builder()
                                .setConnection(connection)
                                .setTable(table)
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setSerializationSchema(new IdByDay())
                                .build());
        env.execute("OdpsExample: write");

        OdpsSource<Long> source =
                OdpsSource.<Long>builder()
                        .setConnection(connection)
                        .setTable(table)
                        .setColumns(List.of("id")) // only this column is downloaded
                        .setPartitionSelector(
                                specs ->
                                        specs.stream()
                                                .filter(spec -> spec.compareTo("ds=20261202") >= 0)
                                                .toList())
                        // No discovery interval: a bounded read of the partitions there now.
                        .setDeserializer(new Ids())
                        .build();
        long read = 0;
        try (CloseableIterator<Long> ids =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), table)
                        .executeAndCollect("OdpsExample: read")) {
            while (ids.hasNext()) {
                ids.next();
                read++;
            }
        }
        System.out.printf(
                "OdpsExample: wrote %d rows into %s exactly once, read %d back from partitions"
                        + " ds >= 20261202%n",
                rows, table, read);
    }

    /** Writes {@code (id, "name-<id>")} into partition {@code ds=2026120<1 + id % 3>}. */
    static final class IdByDay implements OdpsRecordSerializationSchema<Long> {
        @Override
        public void serialize(Long id, Record target) {
            target.setBigint("id", id);
            target.setString("name", "name-" + id);
        }

        @Override
        public String partitionOf(Long id) {
            return "ds=2026120" + (1 + id % 3);
        }
    }

    /** Reads the {@code id} column (the only one downloaded). */
    static final class Ids implements OdpsRecordDeserializer<Long> {
        @Override
        public Long deserialize(Record record, String partitionSpec) {
            return record.getBigint(0);
        }

        @Override
        public TypeInformation<Long> getProducedType() {
            return Types.LONG;
        }
    }
}
