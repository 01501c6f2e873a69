package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchSupport.Probe;
import org.flinkconnectors.e2e.bench.BenchSupport.Result;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.data.RowData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.flinkconnectors.e2e.bench.BenchSupport.singleSubtaskEnvironment;

/**
 * The Flink jobs of the lake benchmark, the same for every table format: a read job that discards
 * what a source reads, timed from its first record to its last, and a write job over generated rows
 * that checkpoints every second, timed from its first record to its end (final commit included).
 * Both leave job deployment out, of the time and of the process CPU time alike.
 */
final class LakeBenchJobs {

    static final long CHECKPOINT_MS = 1000;

    private LakeBenchJobs() {}

    /** Runs the job that discards what it reads and checks that it read {@code rows} rows. */
    static Result timedRead(DataStream<RowData> rowsRead, long rows, long bytes) throws Exception {
        Probe.reset();
        rowsRead.map(new Probe<>()).returns(rowsRead.getType()).sinkTo(new DiscardingSink<>());
        rowsRead.getExecutionEnvironment().execute("read");
        return checked(new Result(Probe.COUNT.get(), bytes, Probe.span(), Probe.cpuSpan()), rows);
    }

    /** Rows {@code 0..rows-1} of a job that checkpoints every {@link #CHECKPOINT_MS} ms. */
    static DataStream<RowData> generatedRows(long rows) {
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        env.enableCheckpointing(CHECKPOINT_MS);
        return env.fromSequence(0, rows - 1)
                .map(new Probe<>())
                .returns(Types.LONG)
                .map(new LakeBenchRows.ToRow())
                .returns(LakeBenchRows.typeInfo());
    }

    /** Runs the write job; from the first record to the end, which includes the final commit. */
    static Result timedWrite(DataStream<RowData> input) throws Exception {
        Probe.reset();
        input.getExecutionEnvironment().execute("write");
        return new Result(Probe.COUNT.get(), 0, Probe.sinceFirst(), Probe.cpuSinceFirst());
    }

    /** The result, if it moved exactly {@code rows} rows. */
    static Result checked(Result result, long rows) {
        if (result.records() != rows) {
            throw new IllegalStateException(
                    "Moved " + result.records() + " rows instead of " + rows + ".");
        }
        return result;
    }

    /** Fails unless {@code committed} rows, as the table reports them, are all the rows. */
    static void checkCommitted(long committed, long rows) {
        if (committed != rows) {
            throw new IllegalStateException(
                    "Committed " + committed + " rows instead of " + rows + ".");
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
