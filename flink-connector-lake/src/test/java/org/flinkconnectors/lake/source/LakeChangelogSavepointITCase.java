package org.flinkconnectors.lake.source;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.testutils.CollectedIds;
import org.flinkconnectors.lake.testutils.LakeTestTable;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A changelog read stopped with a savepoint in the middle of a commit's deletes and restored emits
 * every insert and every delete exactly once, for Iceberg and Delta.
 */
class LakeChangelogSavepointITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path root;

    private final List<JobClient> jobs = new ArrayList<>();

    static List<String> formats() {
        return LakeTestTable.formats();
    }

    @BeforeEach
    void clear() {
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aSavepointInsideACommitsChangesEmitsEachChangeOnce(String format, @TempDir Path savepoints)
            throws Exception {
        LakeTestTable table = LakeTestTable.create(format, root, "t");
        long first = table.append(0, 1_000);
        long second = table.append(1_000, 2_000);
        table.append(2_000, 3_000);
        table.append(3_000, 4_000);
        table.removeAppend(first);
        table.removeAppend(second);
        LakeSource<Long> source =
                LakeSource.builder()
                        .table(table.loader())
                        .scan(LakeScanSpec.builder().changelog(true).build())
                        .streaming(LakeStartingPosition.version(first))
                        .monitorInterval(Duration.ofMillis(100))
                        .changeRouting(LakeChangeRouting.BY_PARTITION)
                        .converter(new SignedIds())
                        .build();

        // Throttled, so the savepoint lands inside the first removal's deletes.
        JobClient stopped = start(source, new Configuration(), 2);
        CollectedIds.await(4_300);
        String savepoint =
                stopped.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(1, TimeUnit.MINUTES);
        assertThat(CollectedIds.size()).isBetween(4_300, 5_999);

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        start(source, restore, 0);
        CollectedIds.await(6_000);
        // Time for anything emitted twice to arrive.
        Thread.sleep(1_000);

        List<Long> expected = new ArrayList<>(LongStream.range(0, 4_000).boxed().toList());
        LongStream.range(0, 2_000).forEach(id -> expected.add(-id - 1));
        assertThat(CollectedIds.snapshot()).containsExactlyInAnyOrderElementsOf(expected);
    }

    private JobClient start(LakeSource<Long> source, Configuration config, int rowsPerMilli)
            throws Exception {
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
        JobClient job = env.executeAsync("lake-changelog");
        jobs.add(job);
        return job;
    }

    /** An inserted row as its id, a deleted one as {@code -id - 1}. */
    private static final class SignedIds implements LakeRowConverter<Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long convert(RowData row) {
            long id = row.getLong(0);
            return row.getRowKind() == RowKind.DELETE ? -id - 1 : id;
        }

        @Override
        public TypeInformation<Long> producedType(RowType rowType) {
            return Types.LONG;
        }
    }
}
