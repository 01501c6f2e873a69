package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.ArrowRecordReader;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the {@link OdpsTestServer}'s Arrow downloads with the plain ODPS SDK: its own {@code
 * openArrowRecordReader} parses what the server sends, for every scalar type, a row range and a
 * projection.
 */
class OdpsTestServerArrowITCase {

    @RegisterExtension static final OdpsTestServer SERVER = new OdpsTestServer();

    private static final String TABLE = "arrow_types";
    private static final int ROWS = 1_000;
    private static final PartitionSpec PARTITION = new PartitionSpec("ds=20260301");

    private TableTunnel.DownloadSession session;
    private BufferAllocator allocator;

    @BeforeAll
    static void createTable() {
        AllTypesTable.create(SERVER, TABLE, List.of("20260301"), ROWS);
    }

    @BeforeEach
    void openSession() throws Exception {
        Odps odps = SERVER.newOdps();
        session =
                SERVER.newTableTunnel(odps)
                        .createDownloadSession(OdpsTestServer.DEFAULT_PROJECT, TABLE, PARTITION);
        allocator = new RootAllocator();
        SERVER.clearRequests();
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void everyTypeOfEveryRowInBatches() throws Exception {
        List<Integer> batchSizes = new ArrayList<>();
        long id = 0;
        try (ArrowRecordReader reader = session.openArrowRecordReader(0, ROWS, allocator)) {
            VectorSchemaRoot root;
            while ((root = reader.read()) != null) {
                try (VectorSchemaRoot batch = root) {
                    batchSizes.add(batch.getRowCount());
                    for (int row = 0; row < batch.getRowCount(); row++, id++) {
                        assertRow(batch, row, id);
                    }
                }
            }
        }
        assertThat(id).isEqualTo(ROWS);
        assertThat(batchSizes).hasSize(4).first().isEqualTo(ArrowBatchWriter.BATCH_ROWS);
        assertThat(SERVER.requests())
                .anySatisfy(
                        r -> {
                            assertThat(r.has("arrow")).isTrue();
                            assertThat(r.param("rowrange")).isEqualTo("(0,1000)");
                        });
    }

    @Test
    void rowRangeWithProjection() throws Exception {
        List<Column> columns =
                List.of(
                        session.getSchema().getColumn("ts"),
                        session.getSchema().getColumn("id"),
                        session.getSchema().getColumn("s"));
        List<Long> ids = new ArrayList<>();
        try (ArrowRecordReader reader =
                session.openArrowRecordReader(300, 450, columns, allocator)) {
            VectorSchemaRoot root;
            while ((root = reader.read()) != null) {
                try (VectorSchemaRoot batch = root) {
                    assertThat(batch.getSchema().getFields())
                            .extracting(f -> f.getName())
                            .containsExactly("ts", "id", "s");
                    for (int row = 0; row < batch.getRowCount(); row++) {
                        long id = ((BigIntVector) batch.getVector("id")).get(row);
                        ids.add(id);
                        assertTimestamp((TimeStampNanoVector) batch.getVector("ts"), row, id);
                        assertString((VarCharVector) batch.getVector("s"), row, id);
                    }
                }
            }
        }
        assertThat(ids).hasSize(450).first().isEqualTo(300L);
        assertThat(ids).last().isEqualTo(749L);
        assertThat(SERVER.requests())
                .anySatisfy(r -> assertThat(r.param("columns")).isEqualTo("ts,id,s"));
    }

    @Test
    void deflatesWhenAskedAndTheSdkInflates() throws Exception {
        long id = 0;
        try (ArrowRecordReader reader =
                session.openArrowRecordReader(
                        0,
                        ROWS,
                        null,
                        allocator,
                        new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, 1, 0))) {
            VectorSchemaRoot root;
            while ((root = reader.read()) != null) {
                try (VectorSchemaRoot batch = root) {
                    for (int row = 0; row < batch.getRowCount(); row++, id++) {
                        assertRow(batch, row, id);
                    }
                }
            }
        }
        assertThat(id).isEqualTo(ROWS);
        assertThat(SERVER.requests())
                .anySatisfy(r -> assertThat(r.header("Accept-Encoding")).isEqualTo("deflate"));
    }

    private static void assertRow(VectorSchemaRoot batch, int row, long id) {
        assertThat(((BigIntVector) batch.getVector("id")).get(row)).isEqualTo(id);
        IntVector i = (IntVector) batch.getVector("i");
        if (id % 7 == 3) {
            assertThat(i.isNull(row)).isTrue();
        } else {
            assertThat(i.get(row)).isEqualTo((int) (id * 3 - 100));
        }
        Float8Vector d = (Float8Vector) batch.getVector("d");
        assertThat(d.isNull(row) ? null : d.get(row)).isEqualTo(id % 7 == 4 ? null : id * 0.25);
        assertString((VarCharVector) batch.getVector("s"), row, id);
        BitVector b = (BitVector) batch.getVector("b");
        assertThat(b.isNull(row) ? null : b.get(row) == 1)
                .isEqualTo(id % 7 == 6 ? null : id % 2 == 0);
        assertThat(((DecimalVector) batch.getVector("amount")).getObject(row))
                .isEqualTo(id % 7 == 0 ? null : AllTypesTable.decimal(id));
        DateMilliVector dt = (DateMilliVector) batch.getVector("dt");
        assertThat(dt.isNull(row) ? null : dt.get(row))
                .isEqualTo(
                        id % 7 == 1 ? null : AllTypesTable.datetime(id).toInstant().toEpochMilli());
        assertTimestamp((TimeStampNanoVector) batch.getVector("ts"), row, id);
        DateDayVector day = (DateDayVector) batch.getVector("day");
        assertThat(day.isNull(row) ? null : LocalDate.ofEpochDay(day.get(row)))
                .isEqualTo(id % 7 == 3 ? null : LocalDate.of(2026, 1, 1).plusDays(id));
        Float4Vector f = (Float4Vector) batch.getVector("f");
        assertThat(f.isNull(row) ? null : f.get(row)).isEqualTo(id % 7 == 4 ? null : id * 0.5f);
        SmallIntVector si = (SmallIntVector) batch.getVector("si");
        assertThat(si.isNull(row) ? null : si.get(row))
                .isEqualTo(id % 7 == 5 ? null : (short) (id % 30_000));
        TinyIntVector ti = (TinyIntVector) batch.getVector("ti");
        assertThat(ti.isNull(row) ? null : ti.get(row))
                .isEqualTo(id % 7 == 6 ? null : (byte) (id % 100));
        assertThat(((VarBinaryVector) batch.getVector("bin")).getObject(row))
                .isEqualTo(id % 7 == 0 ? null : new byte[] {(byte) id, (byte) (id >> 8), 7});
    }

    private static void assertString(VarCharVector s, int row, long id) {
        String expected = id % 7 == 5 ? null : "name-" + id + (id % 3 == 0 ? "-é✓" : "");
        assertThat(s.isNull(row) ? null : new String(s.get(row), StandardCharsets.UTF_8))
                .isEqualTo(expected);
    }

    private static void assertTimestamp(TimeStampNanoVector ts, int row, long id) {
        Instant expected = id % 7 == 2 ? null : AllTypesTable.timestamp(id);
        Instant actual = ts.isNull(row) ? null : Instant.ofEpochSecond(0, ts.get(row));
        assertThat(actual).isEqualTo(expected);
    }
}
