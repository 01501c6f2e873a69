package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchSupport.Result;
import org.flinkconnectors.e2e.bench.DeltaBenchLoops.TableFiles;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.source.LakeSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import org.apache.hadoop.conf.Configuration;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.flinkconnectors.e2e.bench.BenchPath.Named.ours;
import static org.flinkconnectors.e2e.bench.BenchPath.Named.raw;
import static org.flinkconnectors.e2e.bench.BenchSupport.cpuTimed;
import static org.flinkconnectors.e2e.bench.BenchSupport.interleave;
import static org.flinkconnectors.e2e.bench.BenchSupport.singleSubtaskEnvironment;
import static org.flinkconnectors.e2e.bench.LakeBenchJobs.CHECKPOINT_MS;
import static org.flinkconnectors.e2e.bench.LakeBenchJobs.checkCommitted;
import static org.flinkconnectors.e2e.bench.LakeBenchJobs.checked;
import static org.flinkconnectors.e2e.bench.LakeBenchJobs.deleteRecursively;
import static org.flinkconnectors.e2e.bench.LakeBenchJobs.generatedRows;
import static org.flinkconnectors.e2e.bench.LakeBenchJobs.timedRead;
import static org.flinkconnectors.e2e.bench.LakeBenchJobs.timedWrite;

/**
 * The Delta half of {@link LakeBenchmark}, in the same JVM and with the same rows, on Delta tables
 * in a local directory: our bounded {@code LakeSource} vs a plain loop over Delta Kernel's own scan
 * ({@link DeltaBenchLoops#read}), both reading the same table of {@value #READ_FILES} data files
 * that Kernel wrote once; our exactly-once {@code LakeSink} vs a plain Kernel write loop ({@link
 * DeltaBenchLoops#write}), each writing the same rows into a fresh table and committing every
 * {@value LakeBenchJobs#CHECKPOINT_MS} ms. Every variant uses Kernel's default engine and Parquet
 * code underneath, with snappy compression (our sink's default, Spark's Delta default; Kernel alone
 * writes uncompressed unless the Hadoop property {@code parquet.compression} says otherwise), so
 * the plain loop is the physical limit of one reader or writer. There is no peer Flink connector:
 * Delta's released one ({@code delta-flink}) is built for Flink 1.x and does not run on Flink 2.
 * Rounds, timing and the row-count check are those of the Iceberg half.
 */
final class DeltaLakeBenchmark {

    private static final int READ_FILES = 8;

    private final long rows;
    private final Path root;
    private final Engine engine = DefaultEngine.create(snappy());
    private int writeTables;

    /** The plain loops write as our sink does by default: snappy. */
    private static Configuration snappy() {
        Configuration conf = new Configuration();
        conf.set("parquet.compression", "SNAPPY");
        return conf;
    }

    DeltaLakeBenchmark(long rows, Path root) {
        this.rows = rows;
        this.root = root;
    }

    /** Runs the rounds; returns the scan and the write path. */
    List<BenchPath> run(int rounds) throws Exception {
        String readTable = root.resolve("orders").toString();
        DeltaBenchLoops.create(engine, readTable);
        DeltaBenchLoops.fill(engine, readTable, rows, READ_FILES);
        TableFiles readFiles = DeltaBenchLoops.files(engine, readTable);
        checkCommitted(readFiles.records(), rows);
        List<List<Result>> reads =
                interleave(
                        rounds,
                        () -> checked(DeltaBenchLoops.read(engine, readTable), rows),
                        () -> lakeRead(readTable, readFiles.bytes()));
        List<List<Result>> writes =
                interleave(
                        rounds,
                        () -> intoFreshTable(this::plainWrite),
                        () -> intoFreshTable(this::lakeWrite));
        return List.of(
                BenchPath.throughput(
                        "lake",
                        "delta scan",
                        "bounded read of "
                                + readFiles.count()
                                + " data files written by Kernel 4.4 (snappy); no peer connector"
                                + " runs on Flink 2",
                        reads,
                        raw("plain Kernel scan loop"),
                        ours("LakeSource (ours)")),
                BenchPath.throughput(
                        "lake",
                        "delta write",
                        "exactly-once, commit every " + CHECKPOINT_MS + " ms",
                        writes,
                        raw("plain Kernel write loop"),
                        ours("LakeSink (ours)")));
    }

    private Result lakeRead(String table, long bytes) throws Exception {
        LakeSource<RowData> source =
                LakeSource.builder().table(DeltaTableLoader.path(table)).build();
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        return timedRead(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake"), rows, bytes);
    }

    private interface WriteRun {
        Result run(String table) throws Exception;
    }

    /** Writes into a new table, checks that every row was committed, and deletes the table. */
    private Result intoFreshTable(WriteRun write) throws Exception {
        Path directory = root.resolve("written_" + writeTables++);
        String table = directory.toString();
        DeltaBenchLoops.create(engine, table);
        try {
            Result result = cpuTimed(() -> write.run(table));
            TableFiles files = DeltaBenchLoops.files(engine, table);
            checkCommitted(files.records(), rows);
            return new Result(rows, files.bytes(), result.nanos(), result.cpuNanos());
        } finally {
            deleteRecursively(directory);
        }
    }

    private Result plainWrite(String table) throws Exception {
        return DeltaBenchLoops.write(
                engine, table, rows, TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MS));
    }

    private Result lakeWrite(String table) throws Exception {
        DataStream<RowData> input = generatedRows(rows);
        input.sinkTo(LakeSink.builder().table(DeltaTableLoader.path(table)).build());
        return timedWrite(input);
    }
}
