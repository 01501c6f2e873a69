package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeRowConverter;
import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeStartingPosition;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Schema changes while a streaming read of a real table of {@code (id, name)} runs on a
 * MiniCluster, the cases both formats share: an added column is not emitted and files with it still
 * read, a renamed column is still read under the job's name, and a dropped column the job reads
 * fails the job for good (no restart loop) naming the table, version and column. Rows are collected
 * as {@code "<id>,<name>"}.
 */
public abstract class LakeSchemaChangeTestBase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Queue<String> ROWS = new ConcurrentLinkedQueue<>();

    private final List<JobClient> jobs = new ArrayList<>();

    /**
     * Appends rows {@code [from, to)} in the table's current schema: {@code id}, {@code
     * "name-<id>"} for the name column whatever it is called now, a value for added columns.
     * Returns the new snapshot id or version.
     */
    protected abstract long append(long from, long to) throws Exception;

    /** Adds a nullable string column {@code extra}. */
    protected abstract void addColumn() throws Exception;

    /** Drops the column {@code name}. */
    protected abstract void dropName() throws Exception;

    /** Renames the column {@code name} to {@code label}. */
    protected abstract void renameName() throws Exception;

    /** The table under test. */
    protected abstract LakeTableLoader loader() throws Exception;

    @BeforeEach
    void clearRows() {
        ROWS.clear();
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
    void anAddedColumnIsNotEmittedAndFilesWithItStillRead() throws Exception {
        long first = append(0, 10);
        LakeSource<String> source = source(LakeStartingPosition.version(first));
        JobClient job = start(source);
        awaitRows(10);

        addColumn();
        append(10, 20);
        awaitRows(20);

        assertThat(source.producedRowType().getFieldNames())
                .startsWith("id", "name")
                .doesNotContain("extra");
        assertThat(rows()).containsExactlyInAnyOrderElementsOf(expected(0, 20));
        assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
    }

    @Test
    void aRenamedColumnIsStillReadUnderTheJobsName() throws Exception {
        long first = append(0, 10);
        JobClient job = start(source(LakeStartingPosition.version(first)));
        awaitRows(10);

        renameName();
        append(10, 20);
        awaitRows(20);

        assertThat(rows()).containsExactlyInAnyOrderElementsOf(expected(0, 20));
        assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
    }

    @Test
    void aProjectedReadKeepsItsColumnsThroughAnAddAndARename() throws Exception {
        long first = append(0, 10);
        JobClient job =
                start(
                        source(
                                LakeStartingPosition.version(first),
                                LakeScanSpec.builder().project(List.of("id", "name")).build()));
        awaitRows(10);

        addColumn();
        append(10, 20);
        renameName();
        append(20, 30);
        awaitRows(30);

        assertThat(rows()).containsExactlyInAnyOrderElementsOf(expected(0, 30));
        assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
    }

    @Test
    void aDroppedColumnTheJobReadsFailsTheJobForGoodNamingVersionAndColumn() throws Exception {
        long first = append(0, 10);
        JobClient job = start(source(LakeStartingPosition.version(first)));
        awaitRows(10);

        dropName();
        long dropped = append(10, 20);

        assertFailsForGood(job, dropped, "'name'", "no longer has it (it was dropped)");
        assertThat(rows()).containsExactlyInAnyOrderElementsOf(expected(0, 10));
    }

    /**
     * The job failed on its own within a minute (restarts would run on: the job has checkpoints),
     * with a message naming the table, the version and the column, and telling what to do.
     */
    protected void assertFailsForGood(JobClient job, long version, String... details)
            throws Exception {
        String table = loader().describe();
        var failure =
                assertThatThrownBy(() -> job.getJobExecutionResult().get(1, TimeUnit.MINUTES))
                        .hasStackTraceContaining(SuppressRestartsException.class.getSimpleName())
                        .hasStackTraceContaining("Version " + version + " of " + table)
                        .hasStackTraceContaining("Restart the job from its last checkpoint");
        for (String detail : details) {
            failure.hasStackTraceContaining(detail);
        }
    }

    protected LakeSource<String> source(LakeStartingPosition start) throws Exception {
        return source(start, LakeScanSpec.latest());
    }

    protected LakeSource<String> source(LakeStartingPosition start, LakeScanSpec scan)
            throws Exception {
        return LakeSource.builder()
                .table(loader())
                .scan(scan)
                .streaming(start)
                .monitorInterval(Duration.ofMillis(100))
                .converter(new IdAndName())
                .build();
    }

    protected JobClient start(LakeSource<String> source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(100);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake").sinkTo(new Collect());
        JobClient job = env.executeAsync("lake-schema-change");
        jobs.add(job);
        return job;
    }

    protected static void awaitRows(int count) throws Exception {
        CommonTestUtils.waitUtil(
                () -> ROWS.size() >= count,
                Duration.ofMinutes(1),
                "waiting for " + count + " rows, have " + ROWS.size());
    }

    protected static List<String> rows() {
        return new ArrayList<>(ROWS);
    }

    protected static List<String> expected(long from, long to) {
        return LongStream.range(from, to).mapToObj(id -> id + ",name-" + id).toList();
    }

    /** {@code "<id>,<name>"} of the job's first two columns. */
    private static final class IdAndName implements LakeRowConverter<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String convert(RowData row) {
            return row.getLong(0) + "," + (row.isNullAt(1) ? "null" : row.getString(1));
        }

        @Override
        public TypeInformation<String> producedType(RowType rowType) {
            return Types.STRING;
        }
    }

    private static final class Collect implements Sink<String> {
        @Override
        public SinkWriter<String> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(String element, Context ctx) {
                    ROWS.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
