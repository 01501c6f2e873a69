package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.source.LakeStreamingSpec;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 'scan.max-pending-splits' on a real Iceberg table, one split per append: while readers leave that
 * many splits untaken, the enumerator stops planning commits and its cursor waits; once they take
 * splits it goes on from the cursor, so every commit is read once.
 */
class LakeEnumeratorPendingSplitsTest {

    private static final int MAX_PENDING = 2;

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;
    private TestingSplitEnumeratorContext<LakeSplit> context;

    @BeforeEach
    void setUp() {
        tables = new IcebergTestTables(warehouse);
        table = tables.create("t");
        context = new TestingSplitEnumeratorContext<>(1);
        context.registerReader(0, "localhost");
    }

    @Test
    void planningPausesAtTheBoundAndResumesFromItsCursorWhenReadersTakeSplits() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        LakeContinuousEnumerator enumerator = start(LakeEnumState.initial());
        context.triggerAllActions();
        List<Long> commits = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            commits.add(IcebergTestTables.append(table, i * 10, i * 10 + 10));
        }

        context.triggerAllActions();
        // The look stops taking commits once their splits reach the bound.
        assertThat(enumerator.snapshotState(1))
                .satisfies(state -> assertThat(state.plannedVersion()).isEqualTo(commits.get(1)))
                .satisfies(state -> assertThat(state.unassignedSplits()).hasSize(MAX_PENDING));

        context.triggerAllActions();
        context.triggerAllActions();
        // Paused: neither the cursor nor the pending splits moved.
        assertThat(enumerator.snapshotState(2).plannedVersion()).isEqualTo(commits.get(1));
        assertThat(enumerator.snapshotState(2).unassignedSplits()).hasSize(MAX_PENDING);

        enumerator.handleSplitRequest(0, "localhost");
        context.triggerAllActions();
        // One split taken leaves room for one more commit.
        assertThat(enumerator.snapshotState(3).plannedVersion()).isEqualTo(commits.get(2));
        assertThat(enumerator.snapshotState(3).unassignedSplits()).hasSize(MAX_PENDING);

        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(0, "localhost");
        context.triggerAllActions();
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(0, "localhost");

        assertThat(assignedVersions()).containsExactlyElementsOf(commits);
        assertThat(enumerator.snapshotState(4))
                .isEqualTo(new LakeEnumState(true, commits.get(3), List.of()));
    }

    @Test
    void aRestoredBackedUpReadPlansNothingUntilItsPendingSplitsAreTaken() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        LakeContinuousEnumerator first = start(LakeEnumState.initial());
        context.triggerAllActions();
        List<Long> commits = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            commits.add(IcebergTestTables.append(table, i * 10, i * 10 + 10));
        }
        context.triggerAllActions();
        LakeEnumState checkpoint = first.snapshotState(1);

        context = new TestingSplitEnumeratorContext<>(1);
        context.registerReader(0, "localhost");
        LakeContinuousEnumerator restored = start(checkpoint);
        context.triggerAllActions();
        assertThat(restored.snapshotState(2)).isEqualTo(checkpoint);

        for (int i = 0; i < 3; i++) {
            restored.handleSplitRequest(0, "localhost");
            context.triggerAllActions();
        }

        assertThat(assignedVersions()).containsExactlyElementsOf(commits);
    }

    @Test
    void aCommitLargerThanTheBoundIsStillPlannedWhole() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        LakeContinuousEnumerator enumerator = start(LakeEnumState.initial());
        context.triggerAllActions();
        table.newAppend()
                .appendFile(IcebergTestTables.writeDataFile(table, 10, 20))
                .appendFile(IcebergTestTables.writeDataFile(table, 20, 30))
                .appendFile(IcebergTestTables.writeDataFile(table, 30, 40))
                .commit();
        long big = table.currentSnapshot().snapshotId();
        long next = IcebergTestTables.append(table, 40, 50);

        context.triggerAllActions();

        assertThat(enumerator.snapshotState(1).plannedVersion()).isEqualTo(big);
        assertThat(enumerator.snapshotState(1).unassignedSplits())
                .extracting(LakeSplit::version)
                .containsExactly(big, big, big);
        for (int i = 0; i < 3; i++) {
            enumerator.handleSplitRequest(0, "localhost");
        }
        context.triggerAllActions();
        enumerator.handleSplitRequest(0, "localhost");
        assertThat(assignedVersions()).containsExactly(big, big, big, next);
    }

    private LakeContinuousEnumerator start(LakeEnumState state) {
        LakeContinuousEnumerator enumerator =
                new LakeContinuousEnumerator(
                        context,
                        IcebergTableLoader.hadoop(tables.warehouse(), "db", "t"),
                        LakeScanSpec.latest(),
                        state,
                        new LakeStreamingSpec(
                                LakeStartingPosition.latest(),
                                Duration.ofSeconds(1),
                                LakeRewritePolicy.FAIL,
                                MAX_PENDING),
                        null);
        enumerator.start();
        return enumerator;
    }

    private List<Long> assignedVersions() {
        TestingSplitEnumeratorContext.SplitAssignmentState<LakeSplit> state =
                context.getSplitAssignments().get(0);
        return state == null
                ? List.of()
                : state.getAssignedSplits().stream().map(LakeSplit::version).toList();
    }
}
