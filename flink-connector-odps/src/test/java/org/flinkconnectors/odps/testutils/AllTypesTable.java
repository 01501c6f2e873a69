package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.type.TypeInfoFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A table with a column of every scalar type the Arrow and record downloads both carry, partitioned
 * by {@code ds STRING}, and rows whose values follow from their id, with NULLs sprinkled over every
 * column but {@code id}.
 */
public final class AllTypesTable {

    /** Data columns, in table order. */
    public static final List<String> COLUMNS =
            List.of("id", "i", "d", "s", "b", "amount", "dt", "ts", "day", "f", "si", "ti", "bin");

    /** The same columns declared for Flink SQL. */
    public static final String SQL_COLUMNS =
            "id BIGINT, i INT, d DOUBLE, s STRING, b BOOLEAN, amount DECIMAL(20, 4),"
                    + " dt TIMESTAMP(3), ts TIMESTAMP(9), `day` DATE, f FLOAT, si SMALLINT,"
                    + " ti TINYINT, bin BYTES";

    private static final Instant EPOCH_BASE = Instant.parse("2026-03-01T10:15:30.123456789Z");

    private AllTypesTable() {}

    public static TableSchema schema() {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", OdpsType.BIGINT));
        schema.addColumn(new Column("i", OdpsType.INT));
        schema.addColumn(new Column("d", OdpsType.DOUBLE));
        schema.addColumn(new Column("s", OdpsType.STRING));
        schema.addColumn(new Column("b", OdpsType.BOOLEAN));
        schema.addColumn(new Column("amount", TypeInfoFactory.getDecimalTypeInfo(20, 4)));
        schema.addColumn(new Column("dt", OdpsType.DATETIME));
        schema.addColumn(new Column("ts", OdpsType.TIMESTAMP));
        schema.addColumn(new Column("day", OdpsType.DATE));
        schema.addColumn(new Column("f", OdpsType.FLOAT));
        schema.addColumn(new Column("si", OdpsType.SMALLINT));
        schema.addColumn(new Column("ti", OdpsType.TINYINT));
        schema.addColumn(new Column("bin", OdpsType.BINARY));
        schema.addPartitionColumn(new Column("ds", OdpsType.STRING));
        return schema;
    }

    /** Creates the table with {@code rowsPerPartition} rows in each of {@code partitions}. */
    public static ServerTable create(
            OdpsTestServer server, String name, List<String> partitions, int rowsPerPartition) {
        ServerTable table = OdpsTestTables.createTable(server, name, schema());
        long id = 0;
        for (String partition : partitions) {
            server.store()
                    .append(
                            OdpsTestServer.DEFAULT_PROJECT,
                            name,
                            "ds=" + partition,
                            rows(id, rowsPerPartition));
            id += rowsPerPartition;
        }
        return table;
    }

    public static List<Record> rows(long from, int count) {
        Column[] columns = schema().getColumns().toArray(new Column[0]);
        List<Record> rows = new ArrayList<>();
        for (long id = from; id < from + count; id++) {
            ArrayRecord row = new ArrayRecord(columns);
            row.set(0, id);
            row.set(1, id % 7 == 3 ? null : (int) (id * 3 - 100));
            row.set(2, id % 7 == 4 ? null : id * 0.25);
            row.set(3, id % 7 == 5 ? null : "name-" + id + (id % 3 == 0 ? "-é✓" : ""));
            row.set(4, id % 7 == 6 ? null : id % 2 == 0);
            row.set(5, id % 7 == 0 ? null : decimal(id));
            row.set(6, id % 7 == 1 ? null : datetime(id));
            row.set(7, id % 7 == 2 ? null : timestamp(id));
            row.set(8, id % 7 == 3 ? null : LocalDate.of(2026, 1, 1).plusDays(id));
            row.set(9, id % 7 == 4 ? null : id * 0.5f);
            row.set(10, id % 7 == 5 ? null : (short) (id % 30_000));
            row.set(11, id % 7 == 6 ? null : (byte) (id % 100));
            row.set(
                    12,
                    id % 7 == 0 ? null : new Binary(new byte[] {(byte) id, (byte) (id >> 8), 7}));
            rows.add(row);
        }
        return rows;
    }

    public static BigDecimal decimal(long id) {
        return BigDecimal.valueOf(id * 10_001 - 5_000_000, 4);
    }

    public static ZonedDateTime datetime(long id) {
        return EPOCH_BASE.plusSeconds(id * 3_601).atZone(ZoneOffset.UTC).withNano(123_000_000);
    }

    public static Instant timestamp(long id) {
        return EPOCH_BASE.plusSeconds(id * 61).plusNanos(id);
    }
}
