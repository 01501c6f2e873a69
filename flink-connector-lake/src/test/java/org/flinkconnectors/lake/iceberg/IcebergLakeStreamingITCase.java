package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.testutils.CollectedIds;
import org.flinkconnectors.lake.testutils.IcebergTestTables;
import org.flinkconnectors.lake.testutils.LakeStreamingTestBase;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streaming reads of real Iceberg tables on a MiniCluster: each starting position, appends
 * committed while the job runs or while it is stopped read exactly once, and commits that delete or
 * rewrite rows failing the job or skipped. The cases both formats share are in {@link
 * LakeStreamingTestBase}.
 */
class IcebergLakeStreamingITCase extends LakeStreamingTestBase {

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;

    @BeforeEach
    void createTable() {
        tables = new IcebergTestTables(warehouse);
        table = tables.create("stream");
        CollectedIds.clear();
    }

    @Test
    void earliestReadsTheCurrentSnapshotInFullThenAppendsWhileRunning() throws Exception {
        IcebergTestTables.append(table, 0, 100);
        IcebergTestTables.append(table, 100, 200);
        IcebergTestTables.deleteIds(table, 5);
        LakeSource<Long> source = source(LakeStartingPosition.earliest(), LakeRewritePolicy.FAIL);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);

        start(source, new Configuration(), 0);
        CollectedIds.await(199);
        IcebergTestTables.append(table, 200, 300);

        List<Long> expected = ids(0, 300);
        expected.remove(5L);
        assertReadExactlyOnce(expected);
    }

    @Test
    void aDeleteWhileRunningFailsTheJobNamingTheSnapshot() throws Exception {
        long first = IcebergTestTables.append(table, 0, 100);
        JobClient job = start(source(LakeStartingPosition.version(first), LakeRewritePolicy.FAIL));
        CollectedIds.await(100);

        long delete = IcebergTestTables.deleteIds(table, 3);

        assertThatThrownBy(() -> job.getJobExecutionResult().get(1, TimeUnit.MINUTES))
                .hasStackTraceContaining("Version " + delete + " of Iceberg table db.stream")
                .hasStackTraceContaining("is a 'delete' commit that deletes or rewrites rows");
        assertThat(CollectedIds.snapshot()).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void skippedRewritesReEmitNothingAndLaterAppendsAreRead() throws Exception {
        DataFile firstFile = IcebergTestTables.writeDataFile(table, 0, 100);
        table.newAppend().appendFile(firstFile).commit();
        long first = table.currentSnapshot().snapshotId();
        start(source(LakeStartingPosition.version(first), LakeRewritePolicy.SKIP));
        CollectedIds.await(100);

        table.newOverwrite()
                .deleteFile(firstFile)
                .addFile(IcebergTestTables.writeDataFile(table, 0, 50))
                .commit();
        IcebergTestTables.deleteIds(table, 7);
        IcebergTestTables.append(table, 100, 200);

        // Rows 0..49 the overwrite wrote again, and row 7 it later deleted, were read once.
        assertReadExactlyOnce(ids(0, 200));
    }

    @Override
    protected long append(long from, long to) throws IOException {
        return IcebergTestTables.append(table, from, to);
    }

    @Override
    protected LakeTableLoader loader() throws Exception {
        return IcebergTableLoader.hadoop(tables.warehouse(), "db", "stream");
    }
}
