package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.testutils.CollectedIds;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded read stopped with a savepoint while files are half read and restarted from it reads
 * every row exactly once, and reads the version it planned before the stop even though the table
 * moved on in between.
 */
class IcebergLakeSourceRestoreITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void restartFromSavepointReadsEveryRowOfThePlannedVersionExactlyOnce(
            @TempDir Path warehouse, @TempDir Path savepoints) throws Exception {
        IcebergTestTables tables = new IcebergTestTables(warehouse);
        Table table = tables.create("restore");
        for (int file = 0; file < 4; file++) {
            IcebergTestTables.append(table, file * 1_000L, (file + 1) * 1_000L);
        }
        IcebergTestTables.deleteIds(table, 1_234, 3_999);
        LakeSource<Long> source =
                LakeSource.builder()
                        .table(IcebergTableLoader.hadoop(tables.warehouse(), "db", "restore"))
                        .converter(CollectedIds.converter())
                        .build();
        CollectedIds.clear();

        // Throttled, so the savepoint lands while splits are half read.
        JobClient first = start(source, new Configuration(), 2);
        CollectedIds.await(800);
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(1, TimeUnit.MINUTES);
        assertThat(CollectedIds.size()).isLessThan(3_998);

        IcebergTestTables.append(table, 10_000, 10_100);
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        start(source, restore, 0).getJobExecutionResult().get(2, TimeUnit.MINUTES);

        assertThat(CollectedIds.snapshot())
                .hasSize(3_998)
                .doesNotHaveDuplicates()
                .containsAll(LongStream.range(0, 1_234).boxed().toList())
                .doesNotContain(1_234L, 3_999L, 10_000L);
    }

    private static JobClient start(LakeSource<Long> source, Configuration config, int rowsPerMilli)
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
        return env.executeAsync("lake-restore");
    }
}
