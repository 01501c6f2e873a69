package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchOrders.Order;
import org.flinkconnectors.e2e.bench.BenchSupport.Probe;
import org.flinkconnectors.e2e.bench.BenchSupport.Result;
import org.flinkconnectors.odps.sink.OdpsSink;
import org.flinkconnectors.odps.source.OdpsSource;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;

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

import static org.flinkconnectors.e2e.bench.BenchSupport.interleave;
import static org.flinkconnectors.e2e.bench.BenchSupport.median;
import static org.flinkconnectors.e2e.bench.BenchSupport.print;
import static org.flinkconnectors.e2e.bench.BenchSupport.printRounds;
import static org.flinkconnectors.e2e.bench.BenchSupport.singleSubtaskEnvironment;

/**
 * Side-by-side throughput, in one JVM against one {@link OdpsTestServer}: our {@code OdpsSource}
 * (DataStream, and the {@code odps} SQL table) vs a raw SDK loop of tunnel downloads reading the
 * same table, and our exactly-once {@code OdpsSink} vs a raw SDK loop of tunnel uploads committing
 * at the same interval. Everything runs at parallelism 1 and converts the same values, so the raw
 * loop is the physical limit of one reader or writer. The variants take turns for {@code rounds}
 * rounds and the median round counts. Throughput is measured from the first record to the last
 * (sinks: to the end of the job, final commit included), so job deployment is left out alike.
 *
 * <p>There is no other Flink connector to compare with: Alibaba's MaxCompute connector is closed
 * source and for Flink 1.x only.
 *
 * <p>The server keeps every row and session in memory for its lifetime, so the reads use one server
 * and every write run a fresh one, which frees what the previous run wrote.
 *
 * <p>Arguments: rows (default 2,000,000; that needs {@code -Ddemo.heap=4g}), rounds (5).
 */
public final class OdpsBenchmark {

    private static final long CHECKPOINT_MS = 1000;
    private static final String READ_TABLE = "bench_orders";
    private static final String WRITE_TABLE = "bench_written";

    /**
     * The server holds each row as an SDK record of about 700 bytes; a phase keeps one copy of the
     * rows and needs about as much again for garbage, Flink and the client.
     */
    private static final long HEAP_BYTES_PER_ROW = 1500;

    private static final long HEAP_BASE_BYTES = 400L << 20;
    private static final CompressOption SINK_COMPRESSION =
            new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, 1, 0);

    private final long rows;

    /** The size of a row in the tunnel's uncompressed record encoding, measured by the fill. */
    private long rowBytes;

    private OdpsBenchmark(long rows) {
        this.rows = rows;
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long heapNeeded = HEAP_BASE_BYTES + rows * HEAP_BYTES_PER_ROW;
        if (Runtime.getRuntime().maxMemory() < heapNeeded) {
            throw new IllegalArgumentException(
                    String.format(
                            "%,d rows need a heap of about %d GB (the test server keeps them in"
                                    + " memory), more than -Xmx: pass -Ddemo.heap=%dg or fewer"
                                    + " rows.",
                            rows, (heapNeeded >> 30) + 1, (heapNeeded >> 30) + 1));
        }
        System.out.println(setting());
        new OdpsBenchmark(rows).run(rounds);
    }

    private static String setting() {
        return "The OdpsTestServer runs in this JVM and shares its "
                + Runtime.getRuntime().availableProcessors()
                + " CPUs with the client: figures are relative, not MaxCompute's.";
    }

    private void run(int rounds) throws Exception {
        List<List<Result>> reads;
        try (OdpsTestServer server = startServer()) {
            RawTunnelLoops raw = new RawTunnelLoops(server);
            OdpsTestTables.createTable(server, READ_TABLE, BenchOrders.schema());
            Result fill = raw.write(READ_TABLE, rows, Long.MAX_VALUE, null);
            rowBytes = fill.bytes() / rows;
            reads =
                    interleave(
                            rounds,
                            () -> checked(estimated(raw.read(READ_TABLE))),
                            () -> streamRead(server),
                            () -> sqlRead(server));
        }
        printRounds("read rounds", List.of("raw", "ours", "ours SQL"), reads);

        List<List<Result>> writes =
                interleave(
                        rounds,
                        () -> onFreshServer(this::rawWrite),
                        () -> onFreshServer(this::sinkWrite));
        printRounds("write rounds", List.of("raw", "ours"), writes);

        Result rawRead = median(reads.get(0));
        Result rawWrite = median(writes.get(0));
        System.out.println();
        System.out.printf(
                "=== odps benchmark: %,d rows of ~%d bytes, %d partitions, parallelism 1,"
                        + " median of %d ===%n",
                rows, rowBytes, BenchOrders.PARTITIONS.size(), rounds);
        System.out.println(setting());
        System.out.println("source (bounded read of the whole table)");
        print("raw SDK tunnel download loop", rawRead, rawRead);
        print("OdpsSource (ours, DataStream)", median(reads.get(1)), rawRead);
        print("odps table (ours, SQL)", median(reads.get(2)), rawRead);
        System.out.println(
                "sink (exactly-once, commit every " + CHECKPOINT_MS + " ms, zlib blocks)");
        print("raw SDK tunnel upload loop", rawWrite, rawWrite);
        print("OdpsSink (ours)", median(writes.get(1)), rawWrite);
    }

    private static OdpsTestServer startServer() throws Exception {
        OdpsTestServer server = new OdpsTestServer();
        // Otherwise it keeps every request it served.
        server.setRecordRequests(false);
        server.startUp();
        return server;
    }

    /** MB/s from the rows' encoded size, alike for all variants whatever the wire carried. */
    private Result estimated(Result result) {
        return new Result(result.records(), result.records() * rowBytes, result.nanos());
    }

    private Result checked(Result result) {
        if (result.records() != rows) {
            throw new IllegalStateException(
                    "Moved " + result.records() + " rows instead of " + rows + ".");
        }
        return result;
    }

    // ---------------------------------------------------------------- read side

    private Result streamRead(OdpsTestServer server) throws Exception {
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        OdpsSource<Order> source =
                OdpsSource.<Order>builder()
                        .setConnection(OdpsTestTables.connection(server))
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
        return checked(estimated(new Result(Probe.COUNT.get(), 0, Probe.span())));
    }

    /** The SQL path: our table source (RowData) into a blackhole, timed by a probing filter. */
    private Result sqlRead(OdpsTestServer server) throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "1");
        env.getConfig().set("pipeline.object-reuse", "true");
        env.createTemporarySystemFunction("probe", ProbeFunction.class);
        env.executeSql(
                "CREATE TABLE orders ("
                        + BenchOrders.SQL_COLUMNS
                        + ") PARTITIONED BY (ds) WITH ("
                        + OdpsTestTables.sqlOptions(server, READ_TABLE)
                        + ")");
        env.executeSql(
                "CREATE TABLE discarded ("
                        + BenchOrders.SQL_COLUMNS
                        + ") WITH ('connector' = 'blackhole')");
        Probe.reset();
        env.executeSql("INSERT INTO discarded SELECT * FROM orders WHERE probe(id)").await();
        return checked(estimated(new Result(Probe.COUNT.get(), 0, Probe.span())));
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
        Result run(OdpsTestServer server) throws Exception;
    }

    /** Runs a write into a new table on a new server and checks that every row arrived. */
    private Result onFreshServer(WriteRun write) throws Exception {
        try (OdpsTestServer server = startServer()) {
            OdpsTestTables.createTable(server, WRITE_TABLE, BenchOrders.schema());
            Result result = write.run(server);
            long committed =
                    server.store().table(OdpsTestServer.DEFAULT_PROJECT, WRITE_TABLE).rowCount();
            if (committed != rows) {
                throw new IllegalStateException(
                        "Committed " + committed + " rows instead of " + rows + ".");
            }
            return estimated(result);
        }
    }

    private Result rawWrite(OdpsTestServer server) throws Exception {
        return new RawTunnelLoops(server)
                .write(
                        WRITE_TABLE,
                        rows,
                        TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MS),
                        SINK_COMPRESSION);
    }

    private Result sinkWrite(OdpsTestServer server) throws Exception {
        StreamExecutionEnvironment env = singleSubtaskEnvironment();
        env.enableCheckpointing(CHECKPOINT_MS);
        OdpsSink<Long> sink =
                OdpsSink.<Long>builder()
                        .setConnection(OdpsTestTables.connection(server))
                        .setTable(WRITE_TABLE)
                        .setSerializationSchema(new BenchOrders.RowSerializer())
                        .build();
        Probe.reset();
        env.fromSequence(0, rows - 1).map(new Probe<>()).returns(Types.LONG).sinkTo(sink);
        env.execute("write");
        // From the first record to the end of the job, which includes the final commit.
        return new Result(rows, 0, Probe.sinceFirst());
    }
}
