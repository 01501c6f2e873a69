package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchOrders.Order;
import org.flinkconnectors.e2e.bench.BenchSupport.Probe;
import org.flinkconnectors.e2e.bench.BenchSupport.Result;
import org.flinkconnectors.odps.sink.OdpsSink;
import org.flinkconnectors.odps.source.OdpsSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;

import com.aliyun.odps.tunnel.io.CompressOption;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.flinkconnectors.e2e.bench.BenchPath.Named.ours;
import static org.flinkconnectors.e2e.bench.BenchPath.Named.raw;
import static org.flinkconnectors.e2e.bench.BenchSupport.cpuTimed;
import static org.flinkconnectors.e2e.bench.BenchSupport.interleave;
import static org.flinkconnectors.e2e.bench.BenchSupport.singleSubtaskEnvironment;

/**
 * Side-by-side throughput against an {@code OdpsTestServer} in a JVM of its own ({@link
 * OdpsServerProcess}): our {@code OdpsSource} (DataStream, and the {@code odps} SQL table) vs a raw
 * SDK loop of tunnel downloads reading the same table, and our exactly-once {@code OdpsSink} vs a
 * raw SDK loop of tunnel uploads committing at the same interval. Everything runs at parallelism 1
 * and converts the same values, so the raw loop is the physical limit of one reader or writer. The
 * variants take turns for {@code rounds} rounds. Throughput is measured from the first record to
 * the last (sinks: to the end of the job, final commit included), so job deployment is left out
 * alike.
 *
 * <p>Next to rows/s it reports this (the client) process's CPU time per row over the same span: the
 * server shares the machine's cores, so wall-clock throughput swings with its load, while the
 * client's CPU per row is what the connector itself costs. The server's CPU time per row, over the
 * whole round, shows what the server spent on the same rows.
 *
 * <p>Tables are created with SQL DDL and filled with tunnel uploads, all through the SDK. There is
 * no other Flink connector to compare with: Alibaba's MaxCompute connector is closed source and for
 * Flink 1.x only. The server keeps every row and session in memory, so the reads use one server and
 * every write a fresh one.
 *
 * <p>Arguments: rows (default 2,000,000), rounds (5), data columns (6; more add BIGINT, DOUBLE,
 * STRING and INT columns in turn, e.g. 20 for a wide table), and {@code reads} to leave the write
 * side out.
 */
public final class OdpsBenchmark {

    private static final long CHECKPOINT_MS = 1000;
    private static final String READ_TABLE = "bench_orders";
    private static final String WRITE_TABLE = "bench_written";
    private static final String WARM_UP_TABLE = "bench_warm_up";

    /** Rows a fresh write server takes before the measured write, to run JIT-compiled. */
    private static final long WARM_UP_ROWS = 100_000;

    /**
     * The server holds each six-column row as an SDK record of about 700 bytes; a phase keeps one
     * copy of the rows and needs about as much again for garbage and sessions.
     */
    private static final long SERVER_HEAP_BYTES_PER_ROW = 1500;

    private static final long SERVER_HEAP_BASE_MB = 400;
    private static final CompressOption SINK_COMPRESSION =
            new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, 1, 0);

    private final long rows;
    private final int columns;
    private final boolean readsOnly;
    private final String serverHeap;

    /** The size of a row in the tunnel's uncompressed record encoding, measured by the fill. */
    private long rowBytes;

    private OdpsBenchmark(long rows, int columns, boolean readsOnly) {
        this.rows = rows;
        this.columns = columns;
        this.readsOnly = readsOnly;
        // The server's rows grow with their columns.
        long bytesPerRow = SERVER_HEAP_BYTES_PER_ROW * columns / BenchOrders.COLUMNS;
        this.serverHeap = (SERVER_HEAP_BASE_MB + rows * bytesPerRow / (1 << 20)) + "m";
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int columns = args.length > 2 ? Integer.parseInt(args[2]) : BenchOrders.COLUMNS;
        if (columns < BenchOrders.COLUMNS) {
            throw new IllegalArgumentException(
                    "The table has at least " + BenchOrders.COLUMNS + " data columns: " + columns);
        }
        boolean readsOnly = args.length > 3 && args[3].equals("reads");
        new OdpsBenchmark(rows, columns, readsOnly).run(rounds).finish();
    }

    private BenchReport run(int rounds) throws Exception {
        List<List<Result>> reads;
        try (OdpsServerProcess server = OdpsServerProcess.start(serverHeap)) {
            RawTunnelLoops raw = new RawTunnelLoops(server);
            raw.createTable(READ_TABLE, columns);
            Result fill = raw.write(READ_TABLE, rows, Long.MAX_VALUE, null);
            rowBytes = fill.bytes() / rows;
            reads =
                    interleave(
                            rounds,
                            () ->
                                    serverCpuTimed(
                                            server, () -> checked(estimated(raw.read(READ_TABLE)))),
                            () -> serverCpuTimed(server, () -> streamRead(server)),
                            () -> serverCpuTimed(server, () -> sqlRead(server, "record")),
                            () -> serverCpuTimed(server, () -> sqlRead(server, "arrow")));
        }
        List<List<Result>> writes =
                readsOnly
                        ? null
                        : interleave(
                                rounds,
                                () -> onFreshServer(this::rawWrite),
                                () -> onFreshServer(this::sinkWrite));

        BenchReport report =
                new BenchReport(
                        "odps",
                        String.format(
                                "%,d rows of ~%d bytes, %d data columns, %d partitions,"
                                        + " parallelism 1, %d rounds;"
                                        + " OdpsTestServer in its own JVM on the same %d CPUs,"
                                        + " CPU = this client process's",
                                rows,
                                rowBytes,
                                columns,
                                BenchOrders.PARTITIONS.size(),
                                rounds,
                                Runtime.getRuntime().availableProcessors()));
        report.add(
                BenchPath.throughput(
                        "odps",
                        "odps read",
                        "bounded read of the whole table",
                        reads,
                        raw("raw SDK tunnel download loop"),
                        ours("OdpsSource (ours, DataStream)"),
                        ours("odps table (ours, SQL)"),
                        ours("odps table (ours, SQL, Arrow)")));
        if (writes == null) {
            return report;
        }
        report.add(
                BenchPath.throughput(
                        "odps",
                        "odps write",
                        "exactly-once, commit every " + CHECKPOINT_MS + " ms, zlib blocks",
                        writes,
                        raw("raw SDK tunnel upload loop"),
                        ours("OdpsSink (ours)")));
        return report;
    }

    /** MB/s from the rows' encoded size, alike for all variants whatever the wire carried. */
    private Result estimated(Result result) {
        return result.withBytes(result.records() * rowBytes);
    }

    /**
     * Runs {@code measured} and notes the server process's CPU time it took. For reads that
     * includes the job's split planning, a few metadata requests.
     */
    private static Result serverCpuTimed(OdpsServerProcess server, BenchSupport.Measured measured)
            throws Exception {
        long before = server.cpuNanos();
        Result result = measured.run();
        long after = server.cpuNanos();
        return before < 0 || after < 0 ? result : result.withServerCpuNanos(after - before);
    }

    private Result checked(Result result) {
        if (result.records() != rows) {
            throw new IllegalStateException(
                    "Moved " + result.records() + " rows instead of " + rows + ".");
        }
        return result;
    }

    // ---------------------------------------------------------------- read side

    private Result streamRead(OdpsServerProcess server) throws Exception {
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        OdpsSource<Order> source =
                OdpsSource.<Order>builder()
                        .setConnection(server.connection())
                        .setTable(READ_TABLE)
                        .setDeserializer(new BenchOrders.OrderDeserializer())
                        .build();
        Probe.reset();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "odps")
                .map(new Probe<>())
                .returns(TypeInformation.of(Order.class))
                .sinkTo(new DiscardingSink<>());
        env.execute("read");
        // From the first to the last record: job deployment and split planning excluded.
        return checked(estimated(new Result(Probe.COUNT.get(), 0, Probe.span(), Probe.cpuSpan())));
    }

    /**
     * The SQL path: our table source (RowData) into a blackhole, timed by a probing filter, with
     * downloads in this {@code scan.format}.
     */
    private Result sqlRead(OdpsServerProcess server, String format) throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "1");
        env.getConfig().set("pipeline.object-reuse", "true");
        env.createTemporarySystemFunction("probe", ProbeFunction.class);
        env.executeSql(
                "CREATE TABLE orders ("
                        + BenchOrders.sqlColumns(columns)
                        + ") PARTITIONED BY (ds) WITH ("
                        + server.sqlOptions(READ_TABLE)
                        + ", 'scan.format' = '"
                        + format
                        + "')");
        env.executeSql(
                "CREATE TABLE discarded ("
                        + BenchOrders.sqlColumns(columns)
                        + ") WITH ('connector' = 'blackhole')");
        Probe.reset();
        env.executeSql("INSERT INTO discarded SELECT * FROM orders WHERE probe(id)").await();
        return checked(estimated(new Result(Probe.COUNT.get(), 0, Probe.span(), Probe.cpuSpan())));
    }

    /**
     * Notes the first and last row, like {@link Probe}. As a filter that keeps every row it lets
     * the planner forward rows as they are, instead of copying them into a projection.
     */
    public static final class ProbeFunction extends ScalarFunction {
        private static final Probe<Long> PROBE = new Probe<>();

        public boolean eval(Long id) {
            PROBE.map(id);
            return true;
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }

    // ---------------------------------------------------------------- write side

    private interface WriteRun {
        Result run(OdpsServerProcess server) throws Exception;
    }

    /**
     * Runs a write into a new table on a new server and checks that every row arrived. Starting the
     * server and the check are outside the measured CPU time.
     */
    private Result onFreshServer(WriteRun write) throws Exception {
        try (OdpsServerProcess server = OdpsServerProcess.start(serverHeap)) {
            RawTunnelLoops client = new RawTunnelLoops(server);
            client.createTable(WRITE_TABLE, columns);
            Result result = serverCpuTimed(server, () -> cpuTimed(() -> write.run(server)));
            long committed = client.committedRows(WRITE_TABLE);
            if (committed != rows) {
                throw new IllegalStateException(
                        "Committed " + committed + " rows instead of " + rows + ".");
            }
            return estimated(result);
        }
    }

    private Result rawWrite(OdpsServerProcess server) throws Exception {
        return new RawTunnelLoops(server)
                .write(
                        WRITE_TABLE,
                        rows,
                        TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MS),
                        SINK_COMPRESSION);
    }

    private Result sinkWrite(OdpsServerProcess server) throws Exception {
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        env.enableCheckpointing(CHECKPOINT_MS);
        OdpsSink<Long> sink =
                OdpsSink.<Long>builder()
                        .setConnection(server.connection())
                        .setTable(WRITE_TABLE)
                        .setSerializationSchema(new BenchOrders.RowSerializer())
                        .build();
        Probe.reset();
        env.fromSequence(0, rows - 1).map(new Probe<>()).returns(Types.LONG).sinkTo(sink);
        env.execute("write");
        // From the first record to the end of the job, which includes the final commit.
        return new Result(rows, 0, Probe.sinceFirst(), Probe.cpuSinceFirst());
    }
}
