package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.testutils.AllTypesTable;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.type.TypeInfoFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.odps.table.OdpsSqlFixture.first;
import static org.flinkconnectors.odps.table.OdpsSqlFixture.query;
import static org.flinkconnectors.odps.table.OdpsSqlFixture.sorted;

/**
 * {@code 'scan.format' = 'arrow'} gives the rows {@code 'record'} gives, for every scalar type,
 * with projection, partition filter, LIMIT, a partition-only query and a streaming read; and it is
 * really Arrow that goes over the wire.
 */
class OdpsTableArrowITCase {

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    private static final String TABLE = "sql_arrow_types";
    private static final List<String> DAYS = List.of("20260301", "20260302", "20260303");
    private static final int ROWS_PER_PARTITION = 700;

    @RegisterExtension
    @Order(3)
    static final OdpsSqlFixture SQL = new OdpsSqlFixture(ODPS, TABLE);

    @BeforeAll
    static void createData() {
        AllTypesTable.create(ODPS, TABLE, DAYS, ROWS_PER_PARTITION);
    }

    @Test
    void everyTypeReadsTheSameAsWithRecords() throws Exception {
        String sql = "SELECT * FROM t";

        List<String> arrow = sorted(query(batchTable("arrow"), sql));

        assertThat(arrow).hasSize(DAYS.size() * ROWS_PER_PARTITION);
        assertThat(arrow).isEqualTo(sorted(query(batchTable("record"), sql)));
        assertThat(SQL.dataRequests())
                .isNotEmpty()
                .anySatisfy(r -> assertThat(r.has("arrow")).isTrue());
        assertThat(SQL.dataRequests()).anySatisfy(r -> assertThat(r.has("arrow")).isFalse());
    }

    @Test
    void valuesAreThoseOfTheTable() throws Exception {
        // id 9: no NULL (9 % 7 == 2 makes ts NULL), so take 15 (15 % 7 == 1: dt NULL) and 8.
        List<Row> rows =
                query(
                        batchTable("arrow"),
                        "SELECT * FROM t WHERE ds = '20260301' AND id IN (8, 15)");

        assertThat(rows)
                .extracting(Row::toString)
                .containsExactlyInAnyOrder(expectedRow(8).toString(), expectedRow(15).toString());
    }

    @Test
    void projectionAndPartitionFilterAreThoseOfRecords() throws Exception {
        String sql = "SELECT s, ds, ts, id, amount FROM t WHERE ds >= '20260302' AND i IS NOT NULL";

        List<String> arrow = sorted(query(batchTable("arrow"), sql));

        assertThat(arrow).isNotEmpty().isEqualTo(sorted(query(batchTable("record"), sql)));
        List<ServerRequest> arrowRequests =
                SQL.dataRequests().stream()
                        .filter(r -> r.has("arrow"))
                        .collect(Collectors.toList());
        assertThat(arrowRequests)
                .isNotEmpty()
                .allSatisfy(
                        r -> {
                            assertThat(r.param("columns").split(","))
                                    .containsExactlyInAnyOrder("s", "ts", "id", "amount", "i");
                            assertThat(r.param("partition")).doesNotContain("20260301");
                        });
    }

    @Test
    void limitAndPartitionOnlyQueries() throws Exception {
        assertThat(query(batchTable("arrow"), "SELECT id, s FROM t LIMIT 7")).hasSize(7);
        String counts = "SELECT ds, COUNT(*) FROM t GROUP BY ds";
        assertThat(sorted(query(batchTable("arrow"), counts)))
                .hasSize(3)
                .isEqualTo(sorted(query(batchTable("record"), counts)));
    }

    @Test
    void streamingReadGivesTheSameRows() throws Exception {
        String sql = "SELECT id, ds, dt, b FROM t";
        int expected = DAYS.size() * ROWS_PER_PARTITION;

        List<String> arrow = sorted(first(streamingTable("arrow"), sql, expected));

        assertThat(arrow).hasSize(expected);
        assertThat(arrow).isEqualTo(sorted(first(streamingTable("record"), sql, expected)));
    }

    @Test
    void otherPrecisionsAndTypesOfTheSameColumnsMatchRecords() throws Exception {
        String ddl =
                "CREATE TABLE t (id BIGINT, dt TIMESTAMP_LTZ(0), ts TIMESTAMP(6),"
                        + " s VARCHAR(20), ds STRING) WITH ("
                        + SQL.options()
                        + ", 'scan.format' = '%s')";
        String sql = "SELECT * FROM t WHERE ds = '20260302'";

        List<String> arrow =
                sorted(query(OdpsSqlFixture.batchEnv(String.format(ddl, "arrow")), sql));

        assertThat(arrow).hasSize(ROWS_PER_PARTITION);
        assertThat(arrow)
                .isEqualTo(
                        sorted(query(OdpsSqlFixture.batchEnv(String.format(ddl, "record")), sql)));
    }

    @Test
    void nestedColumnsAreRefusedNamingTheColumnAndTheOption() {
        TableSchema schema = new TableSchema();
        schema.addColumn(new Column("id", TypeInfoFactory.BIGINT));
        schema.addColumn(
                new Column("tags", TypeInfoFactory.getArrayTypeInfo(TypeInfoFactory.STRING)));
        OdpsTestTables.createTable(ODPS, "sql_arrow_nested", schema);
        TableEnvironment env =
                OdpsSqlFixture.batchEnv(
                        "CREATE TABLE n (id BIGINT, tags ARRAY<STRING>) WITH ("
                                + OdpsTestTables.sqlOptions(ODPS, "sql_arrow_nested")
                                + ", 'scan.format' = 'arrow')");

        assertThatThrownBy(() -> query(env, "SELECT * FROM n"))
                .hasStackTraceContaining("Column 'tags'")
                .hasStackTraceContaining("ARRAY<STRING>")
                .hasStackTraceContaining("'scan.format' = 'record'");
    }

    private static Row expectedRow(long id) {
        LocalDateTime dt =
                id % 7 == 1
                        ? null
                        : LocalDateTime.ofInstant(
                                AllTypesTable.datetime(id).toInstant(), ZoneOffset.UTC);
        LocalDateTime ts =
                id % 7 == 2
                        ? null
                        : LocalDateTime.ofInstant(AllTypesTable.timestamp(id), ZoneOffset.UTC);
        return Row.of(
                id,
                id % 7 == 3 ? null : (int) (id * 3 - 100),
                id % 7 == 4 ? null : id * 0.25,
                id % 7 == 5 ? null : "name-" + id + (id % 3 == 0 ? "-é✓" : ""),
                id % 7 == 6 ? null : id % 2 == 0,
                id % 7 == 0 ? null : AllTypesTable.decimal(id),
                dt,
                ts,
                id % 7 == 3 ? null : LocalDate.of(2026, 1, 1).plusDays(id),
                id % 7 == 4 ? null : id * 0.5f,
                id % 7 == 5 ? null : (short) (id % 30_000),
                id % 7 == 6 ? null : (byte) (id % 100),
                id % 7 == 0 ? null : new byte[] {(byte) id, (byte) (id >> 8), 7},
                "20260301");
    }

    private static TableEnvironment batchTable(String format) {
        return env(EnvironmentSettings.inBatchMode(), format, "");
    }

    private static TableEnvironment streamingTable(String format) {
        return env(
                EnvironmentSettings.inStreamingMode(),
                format,
                ", 'scan.partition-discovery.interval' = '1 s'");
    }

    private static TableEnvironment env(
            EnvironmentSettings settings, String format, String extraOptions) {
        return OdpsSqlFixture.env(
                settings,
                "CREATE TABLE t ("
                        + AllTypesTable.SQL_COLUMNS
                        + ", ds STRING) PARTITIONED BY (ds) WITH ("
                        + SQL.options()
                        + ", 'scan.split-rows' = '300', 'scan.format' = '"
                        + format
                        + "'"
                        + extraOptions
                        + ")");
    }
}
