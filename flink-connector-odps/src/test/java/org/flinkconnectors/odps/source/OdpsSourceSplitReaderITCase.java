package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.source.SplitReaderFixture.Fetched;
import org.flinkconnectors.odps.source.reader.OdpsSplitReader;
import org.flinkconnectors.odps.source.split.OdpsSplit;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import com.aliyun.odps.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.append;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.builder;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.expected;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.sessionPartitions;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.uniqueTable;
import static org.flinkconnectors.odps.source.SplitReaderFixture.drain;
import static org.flinkconnectors.odps.source.SplitReaderFixture.fetch;

/** The split reader against the test server: ranges, resumption, expired sessions and faults. */
class OdpsSourceSplitReaderITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension final SplitReaderFixture fixture = new SplitReaderFixture(ODPS);

    @Test
    void resumesARangeAfterTheRowsAlreadyReadInBatchesWithPositions() throws Exception {
        String table = plainTable(5_000);
        String session =
                ODPS.newTableTunnel(ODPS.newOdps())
                        .createDownloadSession(OdpsTestServer.DEFAULT_PROJECT, table)
                        .getId();
        OdpsSplit split = new OdpsSplit("", session, 1_000, 2_500, 500);
        OdpsSplitReader<String> reader = reader(table, -1, split);
        assertThat(fixture.metrics().pendingRecords()).isEqualTo(2_000);

        Fetched first = fetch(reader);
        assertThat(first.values).hasSize(2_000).isEqualTo(expected("", 1_500, 2_000));
        assertThat(first.lastNextRow).isEqualTo(3_500);
        assertThat(first.finished).containsExactly(split.splitId());
        assertThat(fixture.metrics().pendingRecords()).isZero();
        // The planned session served the read; no new one was needed.
        assertThat(sessionPartitions(ODPS, table)).hasSize(1);
    }

    @Test
    void continuesOnANewSessionWhenThePlannedOneExpired() throws Exception {
        String table = plainTable(3_000);
        OdpsSplit split = new OdpsSplit("", "expired-long-ago", 0, 2_500, 2_000);

        List<String> values = drain(reader(table, -1, split), split);

        assertThat(values).isEqualTo(expected("", 2_000, 500));
        assertThat(sessionPartitions(ODPS, table)).containsExactly("");
    }

    @Test
    void expiredSessionOnATruncatedPartitionFailsNamingIt() throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(
                        ODPS, uniqueTable("shrunk"), OdpsTestTables.idNameSchema(true));
        append(ODPS, table.name(), "ds=1", 0, 100);
        OdpsSplit split = new OdpsSplit("ds=1", "expired", 100, 50);

        assertThatThrownBy(() -> fetch(reader(table.name(), -1, split)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Partition ds=1 of table ")
                .hasMessageContaining("now has 100 rows, fewer than the 150")
                .hasMessageContaining("overwritten or truncated");
    }

    @Test
    void expiredSessionOnADroppedPartitionFailsNamingIt() throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(
                        ODPS, uniqueTable("dropped"), OdpsTestTables.idNameSchema(true));
        append(ODPS, table.name(), "ds=1", 0, 10);
        table.dropPartition("ds=1");
        OdpsSplit split = new OdpsSplit("ds=1", "expired", 0, 10);

        assertThatThrownBy(() -> fetch(reader(table.name(), -1, split)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Partition ds=1 of table ")
                .hasMessageContaining("no longer exists")
                .hasMessageContaining("Rows [0,10) cannot be read");
    }

    @Test
    void brokenStreamsAndServerErrorsAreRetriedWithoutLosingOrRepeatingRows() throws Exception {
        String table = plainTable(3_000);
        ODPS.faults().failRequests(r -> r.has("data"), 1, 503);
        ODPS.faults().truncateDownloads(r -> r.has("data"), 1, 5_000);
        OdpsSplit split = new OdpsSplit("", "expired", 0, 3_000);

        List<String> values = drain(reader(table, -1, split), split);

        assertThat(values).isEqualTo(expected("", 0, 3_000));
        assertThat(ODPS.faults().pending()).isZero();
    }

    @Test
    void limitEndsEverySplitWithoutReadingOn() throws Exception {
        String table = plainTable(100);
        OdpsSplit first = new OdpsSplit("", "s", 0, 50);
        OdpsSplit second = new OdpsSplit("", "s", 50, 50);
        OdpsSplitReader<String> reader = reader(table, 3, first, second);

        Fetched limited = fetch(reader);
        Fetched rest = fetch(reader);

        assertThat(limited.values).isEqualTo(expected("", 0, 3));
        assertThat(limited.finished).isEmpty();
        assertThat(rest.values).isEmpty();
        assertThat(rest.finished).containsExactlyInAnyOrder(first.splitId(), second.splitId());
        assertThat(fixture.metrics().pendingRecords()).isZero();
    }

    @Test
    void skippedRowsAdvanceThePositionButDoNotCountTowardsTheLimit() throws Exception {
        String table = plainTable(100);
        OdpsSplit split = new OdpsSplit("", "s", 0, 100);
        OdpsSplitReader<String> reader = reader(table, 5, new EvenIdsOnly(), split);

        Fetched fetched = fetch(reader);

        assertThat(fetched.values).containsExactly("/0", "/2", "/4", "/6", "/8");
        assertThat(fetched.lastNextRow).isEqualTo(9);
    }

    @Test
    void wakeUpEndsAFetchEarlyAndTheNextContinues() throws Exception {
        String table = plainTable(10);
        OdpsSplit split = new OdpsSplit("", "s", 0, 10);
        OdpsSplitReader<String> reader = reader(table, -1, split);

        reader.wakeUp();
        Fetched woken = fetch(reader);
        Fetched next = fetch(reader);

        assertThat(woken.values).isEmpty();
        assertThat(woken.finished).isEmpty();
        assertThat(next.values).isEqualTo(expected("", 0, 10));
        assertThat(next.finished).containsExactly(split.splitId());
    }

    private String plainTable(int rows) {
        return fixture.plainTable("reader", rows);
    }

    private OdpsSplitReader<String> reader(String table, long limit, OdpsSplit... splits) {
        return reader(table, limit, new OdpsSourceTestData.SpecAndId(), splits);
    }

    private OdpsSplitReader<String> reader(
            String table,
            long limit,
            OdpsRecordDeserializer<String> deserializer,
            OdpsSplit... splits) {
        return fixture.reader(builder(ODPS, table), deserializer, limit, splits);
    }

    /** Skips rows with odd ids. */
    private static final class EvenIdsOnly implements OdpsRecordDeserializer<String> {
        @Override
        public String deserialize(Record record, String partitionSpec) {
            long id = record.getBigint(0);
            return id % 2 == 0 ? partitionSpec + "/" + id : null;
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
