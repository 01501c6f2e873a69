package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.testutils.CollectedIds;
import org.flinkconnectors.lake.testutils.DeltaDeletionVectors;
import org.flinkconnectors.lake.testutils.DeltaLogCommits;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.LakeStreamingTestBase;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streaming reads of real Delta tables on a MiniCluster: each starting position, appends committed
 * while the job runs or while it is stopped read exactly once, compactions passed over, and commits
 * that remove rows failing the job or skipped. The cases both formats share are in {@link
 * LakeStreamingTestBase}.
 */
class DeltaLakeStreamingITCase extends LakeStreamingTestBase {

    private static final String TABLE = "stream";
    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void createTable() {
        tables = new DeltaTestTables(root);
        tables.create(TABLE, Map.of("delta.enableDeletionVectors", "true"));
        CollectedIds.clear();
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

    @Override
    protected long append(long from, long to) throws IOException {
        return tables.append(TABLE, from, to);
    }

    @Override
    protected LakeTableLoader loader() {
        return DeltaTableLoader.path(tables.path(TABLE));
    }
}
