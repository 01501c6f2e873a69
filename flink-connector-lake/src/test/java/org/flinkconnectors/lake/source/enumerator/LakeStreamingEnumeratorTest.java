package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.source.LakeStreamingSpec;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.apache.flink.runtime.execution.SuppressRestartsException;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The enumerator of a streaming read on a real Iceberg table: each trigger of the testing context
 * is one look at the table's history.
 */
class LakeStreamingEnumeratorTest {

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
    void latestReadsOnlyLaterAppendsAndNeverEnds() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        LakeContinuousEnumerator enumerator =
                start(LakeStartingPosition.latest(), LakeRewritePolicy.FAIL, initial());
        enumerator.handleSplitRequest(0, "localhost");
        context.triggerAllActions();
        assertThat(assignedVersions()).isEmpty();

        long second = IcebergTestTables.append(table, 10, 20);
        context.triggerAllActions();
        long third = IcebergTestTables.append(table, 20, 30);
        context.triggerAllActions();
        enumerator.handleSplitRequest(0, "localhost");

        assertThat(assignedVersions()).containsExactly(second, third);
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isFalse();
        assertThat(enumerator.snapshotState(1))
                .isEqualTo(new LakeEnumState(true, third, List.of()));
    }

    @Test
    void earliestReadsTheCurrentVersionInFullThenLaterAppends() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        long current = IcebergTestTables.append(table, 10, 20);
        LakeContinuousEnumerator enumerator =
                start(LakeStartingPosition.earliest(), LakeRewritePolicy.FAIL, initial());
        context.triggerAllActions();
        long later = IcebergTestTables.append(table, 20, 30);
        context.triggerAllActions();

        for (int i = 0; i < 4; i++) {
            enumerator.handleSplitRequest(0, "localhost");
        }

        // The full scan of the current version has both files, the increment the new one.
        assertThat(assignedVersions()).containsExactly(current, current, later);
    }

    @Test
    void aVersionStartReadsThatVersionsAppendAndLaterOnes() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        long second = IcebergTestTables.append(table, 10, 20);
        long third = IcebergTestTables.append(table, 20, 30);
        LakeContinuousEnumerator enumerator =
                start(LakeStartingPosition.version(second), LakeRewritePolicy.FAIL, initial());
        context.triggerAllActions();
        context.triggerAllActions();
        for (int i = 0; i < 3; i++) {
            enumerator.handleSplitRequest(0, "localhost");
        }

        assertThat(assignedVersions()).containsExactly(second, third);
    }

    @Test
    void aTimestampStartReadsCommitsAtOrAfterItAndWaitsForThem() throws Exception {
        long first = IcebergTestTables.append(table, 0, 10);
        long since = awaitClockAfter(table.snapshot(first).timestampMillis());
        LakeContinuousEnumerator enumerator =
                start(LakeStartingPosition.timestamp(since), LakeRewritePolicy.FAIL, initial());
        context.triggerAllActions();
        assertThat(enumerator.snapshotState(1)).isEqualTo(initial());

        long second = IcebergTestTables.append(table, 10, 20);
        context.triggerAllActions();
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(0, "localhost");

        assertThat(assignedVersions()).containsExactly(second);
    }

    @Test
    void aDeleteFailsTheReadForGoodNamingTheSnapshotAndOperation() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        start(LakeStartingPosition.latest(), LakeRewritePolicy.FAIL, initial());
        context.triggerAllActions();
        long delete = IcebergTestTables.deleteIds(table, 3);

        context.triggerAllActions();

        assertThat(discoveryFailure())
                .isInstanceOf(SuppressRestartsException.class)
                .hasStackTraceContaining("Version " + delete + " of Iceberg table db.t")
                .hasStackTraceContaining("'delete' commit that deletes or rewrites rows")
                .hasStackTraceContaining("'scan.on-rewrite'");
    }

    /** The message says what the rewrite adds, which 'skip' would leave out. */
    @Test
    void anOverwriteFailsTheReadSayingWhatItAddsAndRemoves() throws Exception {
        DataFile a = IcebergTestTables.writeDataFile(table, 0, 10);
        table.newAppend().appendFile(a).commit();
        start(LakeStartingPosition.latest(), LakeRewritePolicy.FAIL, initial());
        context.triggerAllActions();
        table.newOverwrite()
                .deleteFile(a)
                .addFile(IcebergTestTables.writeDataFile(table, 0, 15))
                .commit();

        context.triggerAllActions();

        assertThat(discoveryFailure())
                .hasStackTraceContaining("'overwrite' commit")
                .hasStackTraceContaining("adds 1 data files (15 rows)")
                .hasStackTraceContaining("removes 1 data files (10 rows)")
                .hasStackTraceContaining("the rows they add are then not emitted");
    }

    @Test
    void skipPassesOverRewritesAndCompactionsNeverFail() throws Exception {
        DataFile a = IcebergTestTables.writeDataFile(table, 0, 10);
        DataFile b = IcebergTestTables.writeDataFile(table, 10, 20);
        table.newAppend().appendFile(a).appendFile(b).commit();
        LakeContinuousEnumerator skipping =
                start(LakeStartingPosition.latest(), LakeRewritePolicy.SKIP, initial());
        context.triggerAllActions();
        table.newRewrite()
                .deleteFile(a)
                .deleteFile(b)
                .addFile(IcebergTestTables.writeDataFile(table, 0, 20))
                .commit();
        IcebergTestTables.deleteIds(table, 3);
        long append = IcebergTestTables.append(table, 20, 30);
        context.triggerAllActions();
        skipping.handleSplitRequest(0, "localhost");
        skipping.handleSplitRequest(0, "localhost");

        assertThat(assignedVersions()).containsExactly(append);
        assertThat(skipping.snapshotState(2).plannedVersion()).isEqualTo(append);
    }

    @Test
    void restoredReadContinuesAfterItsCursorWithItsUnassignedSplits() throws Exception {
        IcebergTestTables.append(table, 0, 10);
        LakeContinuousEnumerator first =
                start(LakeStartingPosition.latest(), LakeRewritePolicy.FAIL, initial());
        context.triggerAllActions();
        long pending = IcebergTestTables.append(table, 10, 20);
        context.triggerAllActions();
        LakeEnumState checkpoint = first.snapshotState(1);
        long later = IcebergTestTables.append(table, 20, 30);

        context = new TestingSplitEnumeratorContext<>(1);
        context.registerReader(0, "localhost");
        LakeContinuousEnumerator restored =
                start(LakeStartingPosition.latest(), LakeRewritePolicy.FAIL, checkpoint);
        context.triggerAllActions();
        restored.handleSplitRequest(0, "localhost");
        restored.handleSplitRequest(0, "localhost");
        restored.handleSplitRequest(0, "localhost");

        assertThat(checkpoint.unassignedSplits()).extracting(LakeSplit::version).contains(pending);
        assertThat(assignedVersions()).containsExactly(pending, later);
    }

    @Test
    void failsAfterRepeatedFailuresToLookAtTheTable() throws Exception {
        start(LakeStartingPosition.latest(), LakeRewritePolicy.FAIL, initial());
        context.triggerAllActions();
        tables.drop("t");

        context.triggerAllActions();
        context.triggerAllActions();
        assertThat(context.getExecutorService().getActivePeriodicScheduledTask()).hasSize(1);
        context.triggerAllActions();

        assertThat(discoveryFailure())
                .hasStackTraceContaining("Could not continue the streaming read of Iceberg table")
                .hasStackTraceContaining("failed 3 times in a row");
    }

    private LakeContinuousEnumerator start(
            LakeStartingPosition start, LakeRewritePolicy policy, LakeEnumState state) {
        LakeContinuousEnumerator enumerator =
                new LakeContinuousEnumerator(
                        context,
                        IcebergTableLoader.hadoop(tables.warehouse(), "db", "t"),
                        LakeScanSpec.latest(),
                        state,
                        new LakeStreamingSpec(start, Duration.ofSeconds(1), policy),
                        null);
        enumerator.start();
        return enumerator;
    }

    /** What the periodic discovery failed with; Flink would fail the job with it. */
    private Throwable discoveryFailure() {
        ScheduledFuture<?> discovery =
                context.getExecutorService().getAllPeriodicScheduledTask().get(0);
        assertThat(discovery.isDone()).as("discovery ended").isTrue();
        return catchThrowableOfType(ExecutionException.class, discovery::get).getCause();
    }

    private static LakeEnumState initial() {
        return LakeEnumState.initial();
    }

    private List<Long> assignedVersions() {
        TestingSplitEnumeratorContext.SplitAssignmentState<LakeSplit> state =
                context.getSplitAssignments().get(0);
        return state == null
                ? List.of()
                : state.getAssignedSplits().stream().map(LakeSplit::version).toList();
    }

    /** Waits for the clock to pass {@code millis}, so the next commit is strictly later. */
    private static long awaitClockAfter(long millis) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long now = System.currentTimeMillis();
        while (now <= millis && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            now = System.currentTimeMillis();
        }
        return now;
    }
}
