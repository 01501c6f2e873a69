package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeStartingPosition;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streaming reads of a real lake table on a MiniCluster, the cases both formats share: starting at
 * a version, at the latest version, and stop-with-savepoint then restore. Each format's subclass
 * adds its own cases (rewrites, compactions, deletion vectors).
 *
 * <p>Exactly once is checked by committing a sentinel append last and waiting for its rows: every
 * row collected by then must be expected and none twice.
 */
public abstract class LakeStreamingTestBase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long SENTINEL = 900_000;

    private final List<JobClient> jobs = new ArrayList<>();

    /** Commits one append of the ids {@code [from, to)} and returns its snapshot id or version. */
    protected abstract long append(long from, long to) throws Exception;

    /** The table under test. */
    protected abstract LakeTableLoader loader() throws Exception;

    @AfterEach
    void cancelJobs() throws Exception {
        for (JobClient job : jobs) {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    @Test
    void aVersionStartReadsThatVersionsAppendAndLaterOnes() throws Exception {
        append(0, 100);
        long second = append(100, 200);
        append(200, 300);

        start(source(LakeStartingPosition.version(second), LakeRewritePolicy.FAIL));
        CollectedIds.await(200);
        append(300, 400);

        assertReadExactlyOnce(ids(100, 400));
    }

    @Test
    void latestReadsOnlyWhatIsCommittedAfterTheJobStarted() throws Exception {
        append(0, 100);
        start(source(LakeStartingPosition.latest(), LakeRewritePolicy.FAIL));

        // Whether a probe commit lands before or after the job resolved "latest" is a race; the
        // probes read must be all of those from some probe on, and the commit after them too.
        List<List<Long>> probes = new ArrayList<>();
        while (CollectedIds.size() == 0) {
            assertThat(probes).as("probe commits without a row read").hasSizeLessThan(60);
            long from = 1_000 + probes.size() * 10L;
            append(from, from + 10);
            probes.add(ids(from, from + 10));
            awaitAnyRow(Duration.ofMillis(500));
        }
        append(100, 200);

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
            append(file * 1_000L, (file + 1) * 1_000L);
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

        append(10_000, 10_100);
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        start(source, restore, 0);
        CollectedIds.await(4_100);
        append(20_000, 20_100);

        List<Long> expected = ids(0, 4_000);
        expected.addAll(ids(10_000, 10_100));
        expected.addAll(ids(20_000, 20_100));
        assertReadExactlyOnce(expected);
    }

    protected LakeSource<Long> source(LakeStartingPosition start, LakeRewritePolicy onRewrite)
            throws Exception {
        return LakeSource.builder()
                .table(loader())
                .streaming(start)
                .monitorInterval(Duration.ofMillis(100))
                .onRewrite(onRewrite)
                .converter(CollectedIds.converter())
                .build();
    }

    protected JobClient start(LakeSource<Long> source) throws Exception {
        return start(source, new Configuration(), 0);
    }

    protected JobClient start(LakeSource<Long> source, Configuration config, int rowsPerMilli)
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
        JobClient job = env.executeAsync("lake-streaming");
        jobs.add(job);
        return job;
    }

    /** Commits a sentinel append, waits for its rows and checks everything came exactly once. */
    protected void assertReadExactlyOnce(List<Long> expected) throws Exception {
        append(SENTINEL, SENTINEL + 10);
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

    protected static List<Long> ids(long from, long to) {
        return new ArrayList<>(LongStream.range(from, to).boxed().toList());
    }
}
