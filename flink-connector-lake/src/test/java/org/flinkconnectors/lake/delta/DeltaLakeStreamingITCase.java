package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.testutils.CollectedIds;
import org.flinkconnectors.lake.testutils.DeltaDeletionVectors;
import org.flinkconnectors.lake.testutils.DeltaLogCommits;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streaming reads of real Delta tables on a MiniCluster: each starting position, appends committed
 * while the job runs or while it is stopped read exactly once, compactions passed over, and commits
 * that remove rows failing the job or skipped.
 *
 * <p>Exactly once is checked by committing a sentinel append last and waiting for its rows: every
 * row collected by then must be expected and none twice.
 */
class DeltaLakeStreamingITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String TABLE = "stream";
    private static final long SENTINEL = 900_000;

    @TempDir Path root;

    private DeltaTestTables tables;
    private final List<JobClient> jobs = new ArrayList<>();

    @BeforeEach
    void createTable() {
        tables = new DeltaTestTables(root);
        tables.create(TABLE, Map.of("delta.enableDeletionVectors", "true"));
        CollectedIds.clear();
    }

    @AfterEach
    void cancelJobs() throws Exception {
        for (JobClient job : jobs) {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    @Test
    void earliestReadsTheCurrentVersionInFullThenAppendsAndPassesOverACompaction()
            throws Exception {
        DeltaTestTables.DataFile first = tables.addedIn(TABLE, tables.append(TABLE, 0, 100));
        DeltaTestTables.DataFile second = tables.addedIn(TABLE, tables.append(TABLE, 100, 200));
        DeltaDeletionVectors.delete(tables, TABLE, first, DeltaDeletionVectors.Storage.INLINE, 5);
        LakeSource<Long> source = source(LakeStartingPosition.earliest(), LakeRewritePolicy.FAIL);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);

        start(source, new Configuration(), 0);
        CollectedIds.await(199);
        // The same rows in a new file: nothing to read again.
        DeltaLogCommits.compact(tables, TABLE, List.of(second));
        tables.append(TABLE, 200, 300);

        List<Long> expected = ids(0, 300);
        expected.remove(5L);
        assertReadExactlyOnce(expected);
    }

    @Test
    void aVersionStartReadsThatVersionsAppendAndLaterOnes() throws Exception {
        tables.append(TABLE, 0, 100);
        long second = tables.append(TABLE, 100, 200);
        tables.append(TABLE, 200, 300);

        start(source(LakeStartingPosition.version(second), LakeRewritePolicy.FAIL));
        CollectedIds.await(200);
        tables.append(TABLE, 300, 400);

        assertReadExactlyOnce(ids(100, 400));
    }

    @Test
    void aTimestampStartReadsTheVersionsCommittedAtOrAfterIt() throws Exception {
        tables.append(TABLE, 0, 100);
        tables.append(TABLE, 100, 200);
        tables.append(TABLE, 200, 300);
        long base = System.currentTimeMillis() - 60_000;
        for (long version = 0; version <= 3; version++) {
            tables.setCommitTime(TABLE, version, base + version * 10_000);
        }

        start(source(LakeStartingPosition.timestamp(base + 15_000), LakeRewritePolicy.FAIL));
        CollectedIds.await(200);
        tables.append(TABLE, 300, 400);

        assertReadExactlyOnce(ids(100, 400));
    }

    @Test
    void latestReadsOnlyWhatIsCommittedAfterTheJobStarted() throws Exception {
        tables.append(TABLE, 0, 100);
        start(source(LakeStartingPosition.latest(), LakeRewritePolicy.FAIL));

        // Whether a probe commit lands before or after the job resolved "latest" is a race; the
        // probes read must be all of those from some probe on, and the commit after them too.
        List<List<Long>> probes = new ArrayList<>();
        while (CollectedIds.size() == 0) {
            assertThat(probes).as("probe commits without a row read").hasSizeLessThan(60);
            long from = 1_000 + probes.size() * 10L;
            tables.append(TABLE, from, from + 10);
            probes.add(ids(from, from + 10));
            awaitAnyRow(Duration.ofMillis(500));
        }
        tables.append(TABLE, 100, 200);

        List<Long> read = CollectedIds.snapshot();
        int firstRead = 0;
        while (probes.get(firstRead).stream().noneMatch(read::contains)) {
            firstRead++;
        }
        List<Long> expected = ids(100, 200);
        probes.subList(firstRead, probes.size()).forEach(expected::addAll);
        assertReadExactlyOnce(expected);
    }

    @Test
    void stopWithSavepointAppendAndRestoreReadsEveryRowExactlyOnce(@TempDir Path savepoints)
            throws Exception {
        for (int file = 0; file < 4; file++) {
            tables.append(TABLE, file * 1_000L, (file + 1) * 1_000L);
        }
        LakeSource<Long> source = source(LakeStartingPosition.earliest(), LakeRewritePolicy.FAIL);

        // Throttled, so the savepoint lands while files are half read.
        JobClient first = start(source, new Configuration(), 2);
        CollectedIds.await(800);
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(1, TimeUnit.MINUTES);
        assertThat(CollectedIds.size()).isLessThan(4_000);

        tables.append(TABLE, 10_000, 10_100);
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        start(source, restore, 0);
        CollectedIds.await(4_100);
        tables.append(TABLE, 20_000, 20_100);

        List<Long> expected = ids(0, 4_000);
        expected.addAll(ids(10_000, 10_100));
        expected.addAll(ids(20_000, 20_100));
        assertReadExactlyOnce(expected);
    }

    @Test
    void aDeletionVectorWhileRunningFailsTheJobNamingTheVersion() throws Exception {
        long first = tables.append(TABLE, 0, 100);
        JobClient job = start(source(LakeStartingPosition.version(first), LakeRewritePolicy.FAIL));
        CollectedIds.await(100);

        long delete =
                DeltaDeletionVectors.delete(
                        tables,
                        TABLE,
                        tables.addedIn(TABLE, first),
                        DeltaDeletionVectors.Storage.INLINE,
                        3);

        assertThatThrownBy(() -> job.getJobExecutionResult().get(1, TimeUnit.MINUTES))
                .hasStackTraceContaining(
                        "Version " + delete + " of Delta table at " + tables.path(TABLE))
                .hasStackTraceContaining("is a 'DELETE' commit that deletes or rewrites rows");
        assertThat(CollectedIds.snapshot()).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void skippedRewritesReEmitNothingAndLaterAppendsAreRead() throws Exception {
        long first = tables.append(TABLE, 0, 100);
        DeltaTestTables.DataFile firstFile = tables.addedIn(TABLE, first);
        DeltaTestTables.DataFile secondFile = tables.addedIn(TABLE, tables.append(TABLE, 100, 200));
        start(source(LakeStartingPosition.version(first), LakeRewritePolicy.SKIP));
        CollectedIds.await(200);

        DeltaLogCommits.deleteFiles(tables, TABLE, List.of(firstFile));
        DeltaDeletionVectors.delete(
                tables, TABLE, secondFile, DeltaDeletionVectors.Storage.UUID_FILE, 7);
        tables.append(TABLE, 200, 300);

        // Rows the skipped commits removed stay read, once.
        assertReadExactlyOnce(ids(0, 300));
    }

    private LakeSource<Long> source(LakeStartingPosition start, LakeRewritePolicy onRewrite) {
        return LakeSource.builder()
                .table(DeltaTableLoader.path(tables.path(TABLE)))
                .streaming(start)
                .monitorInterval(Duration.ofMillis(100))
                .onRewrite(onRewrite)
                .converter(CollectedIds.converter())
                .build();
    }

    private JobClient start(LakeSource<Long> source) throws Exception {
        return start(source, new Configuration(), 0);
    }

    private JobClient start(LakeSource<Long> source, Configuration config, int rowsPerMilli)
            throws Exception {
        // One fetched batch in the queue at most, so the fetcher cannot run far ahead.
        config.set(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake")
                .uid("lake-source")
                .map(CollectedIds.throttle(rowsPerMilli))
                .uid("throttle")
                .sinkTo(CollectedIds.sink())
                .uid("collect");
        JobClient job = env.executeAsync("delta-streaming");
        jobs.add(job);
        return job;
    }

    /** Commits a sentinel append, waits for its rows and checks everything came exactly once. */
    private void assertReadExactlyOnce(List<Long> expected) throws Exception {
        tables.append(TABLE, SENTINEL, SENTINEL + 10);
        List<Long> sentinel = ids(SENTINEL, SENTINEL + 10);
        CommonTestUtils.waitUtil(
                () -> CollectedIds.snapshot().containsAll(sentinel),
                Duration.ofMinutes(1),
                "waiting for the sentinel append to be read");
        CollectedIds.await(expected.size() + sentinel.size());
        List<Long> all = new ArrayList<>(expected);
        all.addAll(sentinel);
        assertThat(CollectedIds.snapshot()).containsExactlyInAnyOrderElementsOf(all);
    }

    private static void awaitAnyRow(Duration timeout) throws InterruptedException {
        try {
            CommonTestUtils.waitUtil(() -> CollectedIds.size() > 0, timeout, "no row yet");
        } catch (TimeoutException e) {
            // The caller commits another probe.
        }
    }

    private static List<Long> ids(long from, long to) {
        return new ArrayList<>(LongStream.range(from, to).boxed().toList());
    }
}
