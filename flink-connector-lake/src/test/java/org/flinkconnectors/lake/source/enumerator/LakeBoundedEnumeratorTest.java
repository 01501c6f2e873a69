package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The enumerator on a real Iceberg table, driven through Flink's testing enumerator context:
 * planning once when the job starts, pull assignment, restore without planning again.
 */
class LakeBoundedEnumeratorTest {

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;
    private TestingSplitEnumeratorContext<LakeSplit> context;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
        table = tables.create("t");
        context = new TestingSplitEnumeratorContext<>(2);
        context.registerReader(0, "localhost");
        context.registerReader(1, "localhost");
    }

    @Test
    void plansWhenStartedAndServesReadersOneSplitPerRequest() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        IcebergTestTables.append(table, 10, 20);
        long version = IcebergTestTables.append(table, 20, 30);
        LakeBoundedEnumerator enumerator =
                enumerator(LakeScanSpec.latest(), LakeEnumState.initial());
        enumerator.start();

        // Asked before the plan exists: served as soon as it does.
        enumerator.handleSplitRequest(1, "localhost");
        assertThat(assigned(1)).isEmpty();
        context.triggerAllActions();
        assertThat(assigned(1)).hasSize(1);

        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");
        enumerator.handleSplitRequest(0, "localhost");

        assertThat(assigned(0)).hasSize(1);
        assertThat(assigned(1)).hasSize(2);
        List<LakeSplit> all = new ArrayList<>(assigned(0));
        all.addAll(assigned(1));
        assertThat(all).extracting(LakeSplit::version).containsOnly(version);
        assertThat(all).extracting(LakeSplit::path).doesNotHaveDuplicates();
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(context.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal()).isFalse();
    }

    @Test
    void restoredEnumeratorAssignsWhatWasLeftWithoutPlanningAgain() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        long version = IcebergTestTables.append(table, 10, 20);
        LakeBoundedEnumerator first = enumerator(LakeScanSpec.latest(), LakeEnumState.initial());
        first.start();
        context.triggerAllActions();
        first.handleSplitRequest(0, "localhost");
        LakeEnumState checkpoint = first.snapshotState(1);
        // A commit after the checkpoint must not change what the restored job reads.
        IcebergTestTables.append(table, 20, 30);

        TestingSplitEnumeratorContext<LakeSplit> restoredContext =
                new TestingSplitEnumeratorContext<>(1);
        restoredContext.registerReader(0, "localhost");
        LakeBoundedEnumerator restored =
                new LakeBoundedEnumerator(
                        restoredContext, loader(), LakeScanSpec.latest(), checkpoint);
        restored.start();
        restoredContext.triggerAllActions();
        restored.handleSplitRequest(0, "localhost");
        restored.handleSplitRequest(0, "localhost");

        assertThat(checkpoint.planned()).isTrue();
        assertThat(checkpoint.plannedVersion()).isEqualTo(version);
        List<LakeSplit> rest = restoredContext.getSplitAssignments().get(0).getAssignedSplits();
        assertThat(rest).hasSize(1).isEqualTo(checkpoint.unassignedSplits());
        assertThat(rest.get(0).path()).isNotEqualTo(assigned(0).get(0).path());
        assertThat(restoredContext.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal())
                .isTrue();
    }

    @Test
    void splitsGivenBackAreAssignedAgainFirst() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        IcebergTestTables.append(table, 10, 20);
        LakeBoundedEnumerator enumerator =
                enumerator(LakeScanSpec.latest(), LakeEnumState.initial());
        enumerator.start();
        context.triggerAllActions();
        enumerator.handleSplitRequest(0, "localhost");
        LakeSplit givenBack = assigned(0).get(0);

        enumerator.addSplitsBack(List.of(givenBack), 0);
        enumerator.handleSplitRequest(1, "localhost");

        assertThat(assigned(1)).containsExactly(givenBack);
    }

    @Test
    void tableWithoutSnapshotsEndsReadersAtOnce() throws Exception {
        LakeBoundedEnumerator enumerator =
                enumerator(LakeScanSpec.latest(), LakeEnumState.initial());
        enumerator.start();
        context.triggerAllActions();
        enumerator.handleSplitRequest(0, "localhost");

        assertThat(assigned(0)).isEmpty();
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(enumerator.snapshotState(1)).isEqualTo(new LakeEnumState(true, null, List.of()));
    }

    @Test
    void planningFailureNamesTheTable() {
        LakeScanSpec spec = LakeScanSpec.builder().version(LakeVersionSelector.version(99)).build();
        LakeBoundedEnumerator enumerator = enumerator(spec, LakeEnumState.initial());
        enumerator.start();

        assertThatThrownBy(() -> context.triggerAllActions())
                .hasStackTraceContaining("Could not plan the scan of Iceberg table db.t")
                .hasStackTraceContaining("snapshot id 99 does not exist");
    }

    private LakeBoundedEnumerator enumerator(LakeScanSpec spec, LakeEnumState state) {
        return new LakeBoundedEnumerator(context, loader(), spec, state);
    }

    private IcebergTableLoader loader() {
        return IcebergTableLoader.hadoop(tables.warehouse(), "db", "t");
    }

    private List<LakeSplit> assigned(int reader) {
        TestingSplitEnumeratorContext.SplitAssignmentState<LakeSplit> state =
                context.getSplitAssignments().get(reader);
        return state == null ? List.of() : state.getAssignedSplits();
    }
}
