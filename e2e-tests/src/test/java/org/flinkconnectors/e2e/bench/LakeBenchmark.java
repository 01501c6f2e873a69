package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchPath.Named;
import org.flinkconnectors.e2e.bench.BenchSupport.Result;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.source.LakeSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.iceberg.flink.source.IcebergSource;
import org.apache.iceberg.hadoop.HadoopCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.flinkconnectors.e2e.bench.BenchPath.Named.ours;
import static org.flinkconnectors.e2e.bench.BenchPath.Named.peer;
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
 * Side-by-side throughput, in one JVM on Iceberg tables in a Hadoop catalog on the local file
 * system: our bounded {@code LakeSource} vs Iceberg's own {@link IcebergSource} vs a plain loop
 * over Iceberg's Parquet reader, all reading the same table of {@value #READ_FILES} data files; our
 * exactly-once {@code LakeSink} vs Iceberg's own {@link IcebergSink} vs a plain loop over Iceberg's
 * Parquet writer, each writing the same rows into a fresh table and committing every {@value
 * LakeBenchJobs#CHECKPOINT_MS} ms. Parallelism 1 everywhere; all variants use Iceberg's Parquet
 * readers and writers for Flink rows underneath, so the plain loop is the physical limit of one
 * reader or writer and the Flink variants differ in what they add around it. The variants take
 * turns for {@code rounds} rounds; {@link BenchReport} prints min / median / max. Flink jobs are
 * timed from the first record to the last (sinks: to the end of the job, final commit included), so
 * job deployment is left out; the plain read loop likewise and the plain write loop from its first
 * row to its last commit. MB/s are those of the Parquet files on disk (zstd, the table default).
 *
 * <p>{@link DeltaLakeBenchmark} does the same on Delta tables, in the same run; the figures of both
 * formats are printed at the end.
 *
 * <p>Arguments: rows (default 2,000,000), rounds (5), formats: {@code iceberg}, {@code delta} or
 * {@code both} (the default).
 */
public final class LakeBenchmark {

    private static final int READ_FILES = 8;
    private static final String DATABASE = "db";
    private static final String READ_TABLE = "orders";
    private static final List<String> PROJECTED = List.of("id", "amount");
    private static final Named[] ICEBERG_READERS = {
        raw("plain Parquet read loop"),
        peer("IcebergSource (Iceberg 1.11)"),
        ours("LakeSource (ours)")
    };

    private final long rows;
    private final String warehouse;
    private final HadoopCatalog catalog;
    private int writeTables;

    private LakeBenchmark(long rows, Path warehouse) {
        this.rows = rows;
        this.warehouse = warehouse.toUri().toString();
        this.catalog = new HadoopCatalog(new Configuration(), this.warehouse);
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String formats = args.length > 2 ? args[2] : "both";
        if (!List.of("iceberg", "delta", "both").contains(formats)) {
            throw new IllegalArgumentException(
                    "Unknown formats '"
                            + formats
                            + "'; the valid values are iceberg, delta, both.");
        }
        BenchReport report =
                new BenchReport(
                        "lake",
                        String.format(
                                "%,d rows, 6 columns, parallelism 1, %d rounds; %s",
                                rows, rounds, setting()));
        Path root = Files.createTempDirectory("lake-bench");
        try {
            if (!formats.equals("delta")) {
                new LakeBenchmark(rows, root.resolve("iceberg")).run(rounds).forEach(report::add);
            }
            if (!formats.equals("iceberg")) {
                new DeltaLakeBenchmark(rows, root.resolve("delta"))
                        .run(rounds)
                        .forEach(report::add);
            }
        } finally {
            deleteRecursively(root);
        }
        report.finish();
    }

    static String setting() {
        return "local file system, "
                + Runtime.getRuntime().availableProcessors()
                + " CPUs shared by Flink, the writers and the page cache";
    }

    /** Runs the rounds; returns the scan and the write path. */
    private List<BenchPath> run(int rounds) throws Exception {
        Table readTable = createTable(READ_TABLE);
        PlainParquetLoops.fill(readTable, rows, READ_FILES);
        long readBytes = PlainParquetLoops.totalSize(PlainParquetLoops.dataFiles(readTable));
        List<List<Result>> reads =
                interleave(
                        rounds,
                        () -> checked(PlainParquetLoops.read(readTable), rows),
                        () -> icebergRead(readTable, readBytes),
                        () -> lakeRead(readBytes));
        Schema twoColumns = readTable.schema().select(PROJECTED);
        List<List<Result>> projectedReads =
                interleave(
                        rounds,
                        () -> checked(PlainParquetLoops.read(readTable, twoColumns), rows),
                        () -> icebergRead(readTable, twoColumns, readBytes),
                        () -> lakeRead(PROJECTED, readBytes));
        List<List<Result>> writes =
                interleave(
                        rounds,
                        () -> intoFreshTable(this::plainWrite),
                        () -> intoFreshTable(this::icebergWrite),
                        () -> intoFreshTable(this::lakeWrite));
        return List.of(
                BenchPath.throughput(
                        "lake",
                        "iceberg scan",
                        "bounded read of " + READ_FILES + " data files, Iceberg v2 Parquet (zstd)",
                        reads,
                        ICEBERG_READERS),
                BenchPath.throughput(
                        "lake",
                        "iceberg scan, 2 of 6 columns",
                        "the same files, columns " + String.join(" and ", PROJECTED) + " only",
                        projectedReads,
                        ICEBERG_READERS),
                BenchPath.throughput(
                        "lake",
                        "iceberg write",
                        "exactly-once, commit every " + CHECKPOINT_MS + " ms",
                        writes,
                        raw("plain Parquet write loop"),
                        peer("IcebergSink (Iceberg 1.11)"),
                        ours("LakeSink (ours)")));
    }

    private Table createTable(String name) {
        return catalog.createTable(
                TableIdentifier.of(DATABASE, name),
                LakeBenchRows.SCHEMA,
                PartitionSpec.unpartitioned(),
                Map.of(TableProperties.FORMAT_VERSION, "2"));
    }

    // ---------------------------------------------------------------- read side

    private Result icebergRead(Table table, long bytes) throws Exception {
        return icebergRead(table, table.schema(), bytes);
    }

    private Result icebergRead(Table table, Schema projection, long bytes) throws Exception {
        IcebergSource<RowData> source =
                IcebergSource.forRowData()
                        .tableLoader(TableLoader.fromHadoopTable(table.location()))
                        .project(projection)
                        .build();
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        return timedRead(
                env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "iceberg",
                        InternalTypeInfo.of(FlinkSchemaUtil.convert(projection))),
                rows,
                bytes);
    }

    private Result lakeRead(long bytes) throws Exception {
        return lakeRead(LakeBenchRows.ROW_TYPE.getFieldNames(), bytes);
    }

    private Result lakeRead(List<String> columns, long bytes) throws Exception {
        LakeSource<RowData> source =
                LakeSource.builder()
                        .table(IcebergTableLoader.hadoop(warehouse, DATABASE, READ_TABLE))
                        .scan(LakeScanSpec.builder().project(columns).build())
                        .build();
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        return timedRead(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake"), rows, bytes);
    }

    // ---------------------------------------------------------------- write side

    private interface WriteRun {
        Result run(Table table, String name) throws Exception;
    }

    /** Writes into a new table, checks that every row was committed, and drops the table. */
    private Result intoFreshTable(WriteRun write) throws Exception {
        String name = "written_" + writeTables++;
        Table table = createTable(name);
        try {
            Result result = cpuTimed(() -> write.run(table, name));
            table.refresh();
            List<DataFile> files = PlainParquetLoops.dataFiles(table);
            long committed = files.stream().mapToLong(DataFile::recordCount).sum();
            checkCommitted(committed, rows);
            return new Result(
                    rows, PlainParquetLoops.totalSize(files), result.nanos(), result.cpuNanos());
        } finally {
            catalog.dropTable(TableIdentifier.of(DATABASE, name), true);
        }
    }

    private Result plainWrite(Table table, String name) throws IOException {
        return PlainParquetLoops.write(table, rows, TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MS));
    }

    private Result icebergWrite(Table table, String name) throws Exception {
        DataStream<RowData> input = generatedRows(rows);
        IcebergSink.forRowData(input)
                .tableLoader(TableLoader.fromHadoopTable(table.location()))
                .append();
        return timedWrite(input);
    }

    private Result lakeWrite(Table table, String name) throws Exception {
        DataStream<RowData> input = generatedRows(rows);
        input.sinkTo(
                LakeSink.builder()
                        .table(IcebergTableLoader.hadoop(warehouse, DATABASE, name))
                        .build());
        return timedWrite(input);
    }
}
