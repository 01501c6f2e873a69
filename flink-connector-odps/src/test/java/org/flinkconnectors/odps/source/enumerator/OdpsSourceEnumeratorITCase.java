package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.source.OdpsRecordDeserializer;
import org.flinkconnectors.odps.source.OdpsSource;
import org.flinkconnectors.odps.source.OdpsSourceBuilder;
import org.flinkconnectors.odps.source.PartitionChangePolicy;
import org.flinkconnectors.odps.source.PartitionSelector;
import org.flinkconnectors.odps.source.split.OdpsSplit;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerRequest;
import org.flinkconnectors.odps.testutils.ServerTable;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.tunnel.TableTunnel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The enumerator against the test server, driven through Flink's testing enumerator context:
 * bounded planning and pull assignment, and for unbounded reads new partitions, appended rows,
 * shrinking, dropped partitions and restores, each planned exactly once.
 */
class OdpsSourceEnumeratorITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    private static int tables;

    /** "Now" for the enumerator: real time by default, far ahead to make nothing look recent. */
    private final AtomicLong now = new AtomicLong(-1);

    @Test
    void boundedPlansSelectedPartitionsAndServesRequestsInArrivalOrder() throws Exception {
        ServerTable table = partitionedTable();
        append(table, "ds=1", 25);
        append(table, "ds=2", 10);
        append(table, "ds=3", 5);
        OdpsSourceBuilder<String> source =
                builder(table)
                        .setSplitRows(10)
                        .setPartitionSelector(
                                specs ->
                                        specs.stream()
                                                .filter(s -> !s.equals("ds=2"))
                                                .collect(Collectors.toList()));
        TestingSplitEnumeratorContext<OdpsSplit> context = new TestingSplitEnumeratorContext<>(2);
        context.registerReader(0, "localhost");
        context.registerReader(1, "localhost");
        OdpsSourceEnumerator enumerator = enumerator(source, context, OdpsEnumState.initial());
        enumerator.start();

        // Asked before the table was looked at: served as soon as the plan is there.
        enumerator.handleSplitRequest(1, "localhost");
        assertThat(assigned(context, 1)).isEmpty();
        context.triggerAllActions();
        assertThat(assigned(context, 1)).containsExactly("ds=1[0,10)");

        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");
        assertThat(assigned(context, 0)).containsExactly("ds=1[10,20)", "ds=3[0,5)");
        assertThat(assigned(context, 1)).containsExactly("ds=1[0,10)", "ds=1[20,25)");
        assertThat(context.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isFalse();
        assertThat(sessionPartitions(table)).containsExactly("ds=1", "ds=3");

        // A split a failed reader gives back goes to the next reader that asks.
        OdpsSplit returned = context.getSplitAssignments().get(1).getAssignedSplits().get(0);
        enumerator.addSplitsBack(List.of(returned), 1);
        enumerator.handleSplitRequest(0, "localhost");
        assertThat(assigned(context, 0)).endsWith("ds=1[0,10)");
        enumerator.handleSplitRequest(0, "localhost");
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
    }

    @Test
    void unboundedPlansNewPartitionsAndAppendedRowsOnce() throws Exception {
        ServerTable table = partitionedTable();
        append(table, "ds=1", 15);
        TestingSplitEnumeratorContext<OdpsSplit> context = new TestingSplitEnumeratorContext<>(1);
        OdpsSourceEnumerator enumerator =
                enumerator(unbounded(table), context, OdpsEnumState.initial());
        enumerator.start();

        discover(context);
        assertThat(unassigned(enumerator)).containsExactly("ds=1[0,10)", "ds=1[10,15)");

        append(table, "ds=1", 7);
        append(table, "ds=2", 3);
        discover(context);
        assertThat(unassigned(enumerator))
                .containsExactly("ds=1[0,10)", "ds=1[10,15)", "ds=1[15,22)", "ds=2[0,3)");
        OdpsEnumState state = enumerator.snapshotState(1);
        assertThat(state.getPartitions().get("ds=1").getPlannedRows()).isEqualTo(22);
        assertThat(state.getPartitions().get("ds=2").getPlannedRows()).isEqualTo(3);
        // The tail was planned on a fresh session, which saw all 22 rows.
        List<String> sessions =
                splitsOf(enumerator, "ds=1").stream()
                        .map(OdpsSplit::getSessionId)
                        .distinct()
                        .collect(Collectors.toList());
        assertThat(sessions).hasSize(2);

        // Unchanged partitions modified long ago get no new download session.
        int sessionsBefore = sessionPartitions(table).size();
        now.set(System.currentTimeMillis() + 10 * PartitionDiscovery.SETTLE_MILLIS);
        discover(context);
        discover(context);
        assertThat(sessionPartitions(table)).hasSize(sessionsBefore);
        assertThat(unassigned(enumerator)).hasSize(4);

        // Readers take the splits in planning order.
        context.registerReader(0, "localhost");
        for (int i = 0; i < 4; i++) {
            enumerator.handleSplitRequest(0, "localhost");
        }
        assertThat(assigned(context, 0))
                .containsExactly("ds=1[0,10)", "ds=1[10,15)", "ds=1[15,22)", "ds=2[0,3)");
        enumerator.handleSplitRequest(0, "localhost");
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isFalse();
    }

    @Test
    void restoredEnumeratorPlansOnlyWhatIsNew() throws Exception {
        ServerTable table = partitionedTable();
        append(table, "ds=1", 12);
        TestingSplitEnumeratorContext<OdpsSplit> context = new TestingSplitEnumeratorContext<>(1);
        OdpsSourceEnumerator first = enumerator(unbounded(table), context, OdpsEnumState.initial());
        first.start();
        discover(context);
        context.registerReader(0, "localhost");
        first.handleSplitRequest(0, "localhost");
        OdpsEnumState checkpoint = first.snapshotState(1);
        assertThat(checkpoint.getUnassignedSplits())
                .extracting(OdpsSourceEnumeratorITCase::name)
                .containsExactly("ds=1[10,12)");

        append(table, "ds=1", 2);
        TestingSplitEnumeratorContext<OdpsSplit> restoredContext =
                new TestingSplitEnumeratorContext<>(1);
        OdpsSourceEnumerator restored = enumerator(unbounded(table), restoredContext, checkpoint);
        restored.start();
        discover(restoredContext);
        discover(restoredContext);

        assertThat(unassigned(restored)).containsExactly("ds=1[10,12)", "ds=1[12,14)");
    }

    @Test
    void rowsAppendedAfterTheReadOnesArePlannedAsAppends() throws Exception {
        ServerTable table = partitionedTable();
        append(table, "ds=1", 20);
        PartitionDiscovery discovery = discovery(unbounded(table));
        discovery.discover();

        // The same 20 rows and 5 more: an append, even if written by an overwrite.
        overwrite(table, "ds=1", 0, 25);
        PartitionDiscovery.Result result = discovery.discover();
        assertThat(result.snapshots).singleElement().satisfies(s -> assertThat(s.reread).isFalse());
        assertThat(result.snapshots.get(0).progress.getPlannedRows()).isEqualTo(25);
    }

    @Test
    void partitionChangedOtherThanByAppendsFailsDiscoveryNamingTableAndPartition()
            throws Exception {
        ServerTable table = partitionedTable();
        append(table, "ds=1", 20);
        append(table, "ds=2", 20);
        PartitionDiscovery discovery = discovery(unbounded(table));
        discovery.discover();
        String where = "Partition ds=1 of table test_project." + table.name();

        overwrite(table, "ds=1", 0, 5); // truncated to fewer rows
        assertThatThrownBy(discovery::discover)
                .hasMessageContaining(where + " changed other than by appending rows")
                .hasMessageContaining("it has 5 rows now, fewer than the 20 already read")
                .hasMessageContaining("'scan.on-partition-change' = 'reread'");

        // Same count, other order (as a merge of small files may leave it): row 0 moved.
        PartitionDiscovery again = discovery(unbounded(table));
        again.discover();
        List<Record> reversed = records(table, 0, 20);
        Collections.reverse(reversed);
        ODPS.store().overwrite(table.project(), table.name(), "ds=2", reversed);
        assertThatThrownBy(again::discover)
                .hasMessageContaining(
                        "Partition ds=2 of table test_project."
                                + table.name()
                                + " changed other than by appending rows: it has 20 rows now (20"
                                + " were read), but row 0 is no longer the same");

        // More rows than before, the read ones replaced except row 0: the last read row differs.
        PartitionDiscovery third = discovery(unbounded(table));
        third.discover();
        List<Record> rewritten = records(table, 19, 1); // row 0 as it was after the reversal
        rewritten.addAll(records(table, 100, 29));
        ODPS.store().overwrite(table.project(), table.name(), "ds=2", rewritten);
        assertThatThrownBy(third::discover)
                .hasMessageContaining(
                        "it has 30 rows now (20 were read), but row 19, the last one");
    }

    @Test
    void partitionOverwrittenWithMoreRowsIsPlannedAgainFromItsFirstRowWithReread()
            throws Exception {
        ServerTable table = partitionedTable();
        append(table, "ds=1", 20);
        TestingSplitEnumeratorContext<OdpsSplit> context = new TestingSplitEnumeratorContext<>(1);
        OdpsSourceEnumerator enumerator =
                enumerator(
                        unbounded(table).setPartitionChangePolicy(PartitionChangePolicy.REREAD),
                        context,
                        OdpsEnumState.initial());
        enumerator.start();
        discover(context);
        context.registerReader(0, "localhost");
        enumerator.handleSplitRequest(0, "localhost"); // [0,10) is being read
        String oldSession = splitsOf(enumerator, "ds=1").get(0).getSessionId();

        overwrite(table, "ds=1", 1_000, 25);
        discover(context);

        // The unstarted split of the old contents is dropped; all new rows are planned.
        assertThat(unassigned(enumerator))
                .containsExactly("ds=1[0,10)", "ds=1[10,20)", "ds=1[20,25)");
        assertThat(splitsOf(enumerator, "ds=1"))
                .allSatisfy(split -> assertThat(split.getSessionId()).isNotEqualTo(oldSession));
        PartitionProgress progress = enumerator.snapshotState(1).getPartitions().get("ds=1");
        assertThat(progress.getPlannedRows()).isEqualTo(25);
        assertThat(progress.isFingerprinted()).isTrue();

        // Later appends to the new contents are appends again.
        append(table, "ds=1", 3);
        discover(context);
        assertThat(unassigned(enumerator)).endsWith("ds=1[20,25)", "ds=1[25,28)");
    }

    @Test
    void partitionDroppedAndCreatedAgainIsReadFromItsFirstRow() throws Exception {
        ServerTable table = partitionedTable();
        append(table, "ds=1", 10);
        append(table, "ds=2", 1);
        TestingSplitEnumeratorContext<OdpsSplit> context = new TestingSplitEnumeratorContext<>(1);
        OdpsSourceEnumerator enumerator =
                enumerator(unbounded(table), context, OdpsEnumState.initial());
        enumerator.start();
        discover(context);

        table.dropPartition("ds=1");
        discover(context);
        assertThat(enumerator.snapshotState(1).getPartitions()).containsOnlyKeys("ds=2");

        append(table, "ds=1", 4);
        discover(context);
        assertThat(unassigned(enumerator)).endsWith("ds=1[0,4)");
    }

    // ------------------------------------------------------------------------------------------

    private OdpsSourceEnumerator enumerator(
            OdpsSourceBuilder<String> builder,
            TestingSplitEnumeratorContext<OdpsSplit> context,
            OdpsEnumState state) {
        OdpsSource<String> source = builder.build();
        return new OdpsSourceEnumerator(
                context,
                source.getSettings(),
                state,
                () -> now.get() < 0 ? System.currentTimeMillis() : now.get());
    }

    private static OdpsSourceBuilder<String> builder(ServerTable table) {
        return OdpsSource.<String>builder()
                .setConnection(OdpsTestTables.connection(ODPS))
                .setTable(table.name())
                .setPartitionSelector(PartitionSelector.all())
                .setDeserializer(new Ignored());
    }

    private static OdpsSourceBuilder<String> unbounded(ServerTable table) {
        return builder(table).setSplitRows(10).setDiscoveryInterval(Duration.ofSeconds(1));
    }

    private static void discover(TestingSplitEnumeratorContext<OdpsSplit> context) {
        context.getExecutorService().triggerPeriodicScheduledTasks();
    }

    private static ServerTable partitionedTable() {
        return OdpsTestTables.createTable(
                ODPS, "enumerated_" + (++tables), OdpsTestTables.idNameSchema(true));
    }

    private static void append(ServerTable table, String spec, int rows) {
        ODPS.store().append(table.project(), table.name(), spec, records(table, rows));
    }

    private PartitionDiscovery discovery(OdpsSourceBuilder<String> builder) {
        return new PartitionDiscovery(
                new OdpsTableClient(
                        OdpsTestTables.connection(ODPS), builder.build().getSettings().table()),
                builder.build().getSettings(),
                Map.of(),
                System::currentTimeMillis);
    }

    /**
     * Replaces the partition's rows through a tunnel upload with overwrite, as INSERT OVERWRITE.
     */
    private static void overwrite(ServerTable table, String spec, int rows) throws Exception {
        overwrite(table, spec, 0, rows);
    }

    /** As {@link #overwrite(ServerTable, String, int)}, with ids from {@code first}. */
    private static void overwrite(ServerTable table, String spec, int first, int rows)
            throws Exception {
        TableTunnel tunnel = ODPS.newTableTunnel(ODPS.newOdps());
        TableTunnel.UploadSession upload =
                tunnel.createUploadSession(
                        table.project(), table.name(), new PartitionSpec(spec), true);
        try (RecordWriter writer = upload.openRecordWriter(0)) {
            for (Record record : records(table, first, rows)) {
                writer.write(record);
            }
        }
        upload.commit(new Long[] {0L});
    }

    private static List<Record> records(ServerTable table, int rows) {
        return records(table, 0, rows);
    }

    private static List<Record> records(ServerTable table, int first, int rows) {
        Column[] columns = table.schema().getColumns().toArray(new Column[0]);
        List<Record> records = new ArrayList<>();
        for (int i = first; i < first + rows; i++) {
            ArrayRecord record = new ArrayRecord(columns);
            record.setBigint(0, (long) i);
            record.setString(1, "n" + i);
            records.add(record);
        }
        return records;
    }

    /** A split without its session id: {@code <spec>[<start>,<end>)}. */
    private static String name(OdpsSplit split) {
        return split.getPartitionSpec() + "[" + split.getStartRow() + "," + split.getEndRow() + ")";
    }

    private static List<String> assigned(
            TestingSplitEnumeratorContext<OdpsSplit> context, int reader) {
        if (!context.getSplitAssignments().containsKey(reader)) {
            return List.of();
        }
        return context.getSplitAssignments().get(reader).getAssignedSplits().stream()
                .map(OdpsSourceEnumeratorITCase::name)
                .collect(Collectors.toList());
    }

    private static List<String> unassigned(OdpsSourceEnumerator enumerator) {
        return enumerator.snapshotState(0).getUnassignedSplits().stream()
                .map(OdpsSourceEnumeratorITCase::name)
                .collect(Collectors.toList());
    }

    private static List<OdpsSplit> splitsOf(OdpsSourceEnumerator enumerator, String spec) {
        return enumerator.snapshotState(0).getUnassignedSplits().stream()
                .filter(s -> s.getPartitionSpec().equals(spec))
                .collect(Collectors.toList());
    }

    private static List<String> sessionPartitions(ServerTable table) {
        return ODPS.requests().stream()
                .filter(r -> r.service() == ServerRequest.Service.TUNNEL)
                .filter(r -> r.resource().endsWith("/tables/" + table.name()))
                .filter(r -> r.method().equals("POST") && r.has("downloads"))
                .map(r -> r.param("partition").replace("'", ""))
                .collect(Collectors.toList());
    }

    /** The enumerator never deserializes. */
    private static final class Ignored implements OdpsRecordDeserializer<String> {
        @Override
        public String deserialize(Record record, String partitionSpec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
