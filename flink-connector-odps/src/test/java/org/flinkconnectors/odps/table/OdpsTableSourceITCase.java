package org.flinkconnectors.odps.table;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;

import com.aliyun.odps.Column;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.odps.table.OdpsSqlFixture.batchEnv;
import static org.flinkconnectors.odps.table.OdpsSqlFixture.query;

/**
 * {@code SELECT} from an {@code odps} table: every pushdown is checked by what the server saw
 * (which partitions got download sessions, which columns were downloaded), not only by the rows.
 */
class OdpsTableSourceITCase {

    @RegisterExtension
    @Order(1)
    static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    private static final String TABLE = "sql_source";
    private static final List<String> DAYS = List.of("20261119", "20261120", "20261121");

    @RegisterExtension
    @Order(3)
    static final OdpsSqlFixture SQL = new OdpsSqlFixture(ODPS, TABLE);

    @BeforeAll
    static void createData() {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, TABLE, OdpsTestTables.idNameSchema(true));
        Column[] columns = table.schema().getColumns().toArray(new Column[0]);
        long id = 0;
        for (String day : DAYS) {
            List<Record> rows = new ArrayList<>();
            for (int i = 0; i < 5; i++, id++) {
                Record row = new ArrayRecord(columns);
                row.setBigint(0, id);
                row.setString(1, "n" + id);
                rows.add(row);
            }
            ODPS.store().append(OdpsTestServer.DEFAULT_PROJECT, TABLE, "ds=" + day, rows);
        }
    }

    @Test
    void partitionFilterAndProjectionArePushedToTheService() throws Exception {
        List<Row> rows = query(env(""), "SELECT name FROM t WHERE ds >= '20261120'");

        assertThat(rows).hasSize(10);
        assertThat(SQL.downloadSessionPartitions())
                .containsExactlyInAnyOrder("ds=20261120", "ds=20261121");
        assertThat(SQL.dataRequests())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.param("columns")).isEqualTo("name"));
    }

    @Test
    void partitionOptionWithMaxPt() throws Exception {
        List<Row> rows = query(env(", 'partition' = 'max_pt()'"), "SELECT id, ds FROM t");

        assertThat(rows).extracting(r -> r.getField(1)).containsOnly("20261121");
        assertThat(rows)
                .extracting(r -> r.getField(0))
                .containsExactlyInAnyOrder(10L, 11L, 12L, 13L, 14L);
        assertThat(SQL.downloadSessionPartitions()).containsExactly("ds=20261121");
    }

    @Test
    void limitAndAggregatesOverPartitionColumns() throws Exception {
        assertThat(query(env(""), "SELECT * FROM t LIMIT 3")).hasSize(3);
        List<Row> counts = query(env(""), "SELECT ds, COUNT(*) FROM t GROUP BY ds");
        assertThat(counts.stream().map(Row::toString).collect(Collectors.toSet()))
                .isEqualTo(Set.of("+I[20261119, 5]", "+I[20261120, 5]", "+I[20261121, 5]"));
    }

    @Test
    void aNamedPartitionThatDoesNotExistFailsABoundedScan() throws Exception {
        assertThatThrownBy(() -> query(env(", 'partition' = 'ds=20991231'"), "SELECT * FROM t"))
                .hasStackTraceContaining("Partition ds=20991231 named by option 'partition'")
                .hasStackTraceContaining("does not exist");
        // A pattern that matches nothing is an empty read, as in MaxCompute SQL.
        assertThat(query(env(", 'partition' = 'ds=2099*'"), "SELECT * FROM t")).isEmpty();
    }

    @Test
    void tooManyPartitionsAndInvalidOptionValuesFailClearly() {
        assertThatThrownBy(() -> query(env(", 'scan.max-partitions' = '2'"), "SELECT * FROM t"))
                .hasStackTraceContaining("selects 3 partitions")
                .hasStackTraceContaining("scan.max-partitions");
        assertThatThrownBy(
                        () ->
                                query(
                                        env(", 'scan.on-partition-change' = 'ignore'"),
                                        "SELECT * FROM t"))
                .hasStackTraceContaining(
                        "Invalid value 'ignore' for option 'scan.on-partition-change'. Valid"
                                + " values are: [fail, reread].");
    }

    @Test
    void typeMismatchNamesColumn() {
        TableEnvironment env =
                batchEnv(
                        "CREATE TABLE bad (id STRING, name STRING, ds STRING) WITH ("
                                + SQL.options()
                                + ")");
        assertThatThrownBy(() -> query(env, "SELECT * FROM bad"))
                .hasStackTraceContaining("'id'")
                .hasStackTraceContaining("BIGINT");
    }

    private static TableEnvironment env(String extraOptions) {
        return batchEnv(
                "CREATE TABLE t (id BIGINT, name STRING, ds STRING) PARTITIONED BY (ds) WITH ("
                        + SQL.options()
                        + extraOptions
                        + ")");
    }
}
