package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchSupport.Result;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.TimestampData;

import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultDoubleVector;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.defaults.internal.data.vector.DefaultIntVector;
import io.delta.kernel.defaults.internal.data.vector.DefaultLongVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import static org.flinkconnectors.e2e.bench.BenchSupport.processCpuNanos;

/**
 * The physical limit of one Delta reader or writer, without Flink: loops over Delta Kernel's own
 * read and write path with its default engine, the code our Delta source and sink use underneath.
 * The read loop plans the scan files of the latest snapshot and reads them one after the other with
 * the engine's Parquet handler and {@code Scan.transformPhysicalData}, reading every value of every
 * live row with the getters of Kernel's column vectors (no row objects), as any user of the rows
 * must. The write loop fills Kernel column vectors with the benchmark's rows, writes them with the
 * engine's Parquet writer and commits one transaction every {@code commitIntervalNanos}, as the
 * exactly-once sinks do at every checkpoint.
 */
final class DeltaBenchLoops {

    /** The benchmark's six columns as a Delta schema; {@code ts} is Delta's UTC timestamp. */
    static final StructType SCHEMA =
            new StructType()
                    .add("id", LongType.LONG, false)
                    .add("name", StringType.STRING, true)
                    .add("category", StringType.STRING, true)
                    .add("amount", DoubleType.DOUBLE, true)
                    .add("quantity", IntegerType.INTEGER, true)
                    .add("ts", TimestampType.TIMESTAMP, true);

    private static final String ENGINE_INFO = "flink-connector-suite-benchmark";

    /** Rows per column batch handed to Kernel's Parquet writer. */
    private static final int BATCH_ROWS = 4096;

    private DeltaBenchLoops() {}

    /** Creates an empty unpartitioned table of {@link #SCHEMA} (version 0). */
    static void create(Engine engine, String path) {
        TableManager.buildCreateTableTransaction(path, SCHEMA, ENGINE_INFO)
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
    }

    /**
     * Reads every data file of the latest snapshot, timed from the first row to the last like the
     * Flink jobs; bytes are the files' sizes.
     */
    static Result read(Engine engine, String path) throws IOException {
        Scan scan = latest(engine, path).getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
        long start = 0;
        long last = 0;
        long startCpu = 0;
        long lastCpu = 0;
        long records = 0;
        long bytes = 0;
        long checksum = 0;
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
                    while (files.hasNext()) {
                        Row scanFile = files.next();
                        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
                        bytes += file.getSize();
                        CloseableIterator<ColumnarBatch> physical =
                                engine.getParquetHandler()
                                        .readParquetFiles(
                                                Utils.singletonCloseableIterator(file),
                                                physicalSchema,
                                                Optional.empty())
                                        .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                            while (logical.hasNext()) {
                                FilteredColumnarBatch batch = logical.next();
                                ColumnarBatch data = batch.getData();
                                ColumnVector[] columns = columnsOf(data);
                                ColumnVector selected = batch.getSelectionVector().orElse(null);
                                if (records == 0 && data.getSize() > 0) {
                                    start = System.nanoTime();
                                    startCpu = processCpuNanos();
                                }
                                for (int i = 0; i < data.getSize(); i++) {
                                    if (selected == null || selected.getBoolean(i)) {
                                        checksum += readValues(columns, i);
                                        records++;
                                    }
                                }
                            }
                        }
                        last = System.nanoTime();
                        lastCpu = processCpuNanos();
                    }
                }
            }
        }
        if (checksum == 42) {
            System.out.println("(keeps the values read from being optimized away)");
        }
        return new Result(records, bytes, last - start, lastCpu - startCpu);
    }

    /** The batch's vectors in the order of {@link #SCHEMA}. */
    private static ColumnVector[] columnsOf(ColumnarBatch data) {
        ColumnVector[] columns = new ColumnVector[SCHEMA.length()];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = data.getColumnVector(data.getSchema().indexOf(SCHEMA.at(c).getName()));
        }
        return columns;
    }

    /**
     * Reads every value of a row through Kernel's getters, as any user of the rows must; returns a
     * number made of them so that the reads cannot be optimized away.
     */
    private static long readValues(ColumnVector[] columns, int row) {
        long sum = columns[0].getLong(row);
        if (!columns[1].isNullAt(row)) {
            sum += columns[1].getString(row).length();
        }
        if (!columns[2].isNullAt(row)) {
            sum += columns[2].getString(row).length();
        }
        if (!columns[3].isNullAt(row)) {
            sum += (long) columns[3].getDouble(row);
        }
        if (!columns[4].isNullAt(row)) {
            sum += columns[4].getInt(row);
        }
        if (!columns[5].isNullAt(row)) {
            sum += columns[5].getLong(row);
        }
        return sum;
    }

    /**
     * Writes rows {@code 0..rows-1}, committing one transaction every {@code commitIntervalNanos}
     * and the rest at the end; bytes are the sizes of the files written.
     */
    static Result write(Engine engine, String path, long rows, long commitIntervalNanos)
            throws IOException {
        long start = System.nanoTime();
        long bytes = 0;
        long next = 0;
        Snapshot snapshot = latest(engine, path);
        while (next < rows) {
            Transaction txn =
                    snapshot.buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE)
                            .build(engine);
            Row state = txn.getTransactionState(engine);
            Batches batches = new Batches(next, rows, System.nanoTime() + commitIntervalNanos);
            List<Row> actions = new ArrayList<>();
            bytes += writeFile(engine, state, batches, actions);
            next = batches.next;
            TransactionCommitResult result = commit(engine, txn, actions);
            // Kernel hands back the snapshot it committed; no need to read the log again.
            snapshot = result.getPostCommitSnapshot().orElseGet(() -> latest(engine, path));
        }
        return new Result(rows, bytes, System.nanoTime() - start);
    }

    /** Writes {@code rows} rows into {@code files} files, committed in one version. */
    static void fill(Engine engine, String path, long rows, int files) throws IOException {
        Transaction txn =
                latest(engine, path)
                        .buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE)
                        .build(engine);
        Row state = txn.getTransactionState(engine);
        List<Row> actions = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            Batches batches = new Batches(rows * f / files, rows * (f + 1) / files, Long.MAX_VALUE);
            writeFile(engine, state, batches, actions);
        }
        commit(engine, txn, actions);
    }

    /** The live data files of the latest snapshot: count, size and rows (from their stats). */
    static TableFiles files(Engine engine, String path) throws IOException {
        long count = 0;
        long bytes = 0;
        long records = 0;
        try (CloseableIterator<FilteredColumnarBatch> scanFiles =
                latest(engine, path).getScanBuilder().build().getScanFiles(engine, true)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> rows = scanFiles.next().getRows()) {
                    while (rows.hasNext()) {
                        Row add = rows.next().getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                        count++;
                        bytes += add.getLong(add.getSchema().indexOf("size"));
                        records +=
                                new io.delta.kernel.internal.actions.AddFile(add)
                                        .getNumRecords()
                                        .orElseThrow(
                                                () ->
                                                        new IllegalStateException(
                                                                "A data file without row count."));
                    }
                }
            }
        }
        return new TableFiles(count, bytes, records);
    }

    /** What {@link #files} found. */
    record TableFiles(long count, long bytes, long records) {}

    private static Snapshot latest(Engine engine, String path) {
        return TableManager.loadSnapshot(path).build(engine);
    }

    /** Writes the batches with Kernel's Parquet writer; adds the add actions, returns bytes. */
    private static long writeFile(Engine engine, Row state, Batches batches, List<Row> actions)
            throws IOException {
        var context = Transaction.getWriteContext(engine, state, Map.of());
        List<DataFileStatus> written = new ArrayList<>();
        try (CloseableIterator<DataFileStatus> files =
                engine.getParquetHandler()
                        .writeParquetFiles(
                                context.getTargetDirectory(),
                                Transaction.transformLogicalData(engine, state, batches, Map.of()),
                                context.getStatisticsColumns())) {
            files.forEachRemaining(written::add);
        }
        try (CloseableIterator<Row> adds =
                Transaction.generateAppendActions(
                        engine, state, Utils.toCloseableIterator(written.iterator()), context)) {
            adds.forEachRemaining(actions::add);
        }
        return written.stream().mapToLong(DataFileStatus::getSize).sum();
    }

    /** Commits and runs the post-commit hooks (log checkpoints), as a Kernel writer should. */
    private static TransactionCommitResult commit(Engine engine, Transaction txn, List<Row> actions)
            throws IOException {
        TransactionCommitResult result =
                txn.commit(
                        engine,
                        CloseableIterable.inMemoryIterable(
                                Utils.toCloseableIterator(actions.iterator())));
        for (PostCommitHook hook : result.getPostCommitHooks()) {
            hook.threadSafeInvoke(engine);
        }
        return result;
    }

    /**
     * Column batches of rows {@code from..to-1} as {@link LakeBenchRows#fill} makes them; ends
     * early, after the batch in which the deadline passed, and tells in {@link #next} where.
     */
    private static final class Batches implements CloseableIterator<FilteredColumnarBatch> {
        private final long to;
        private final long deadline;
        private final GenericRowData row = LakeBenchRows.newRow();
        private long next;

        Batches(long from, long to, long deadline) {
            this.next = from;
            this.to = to;
            this.deadline = deadline;
        }

        @Override
        public boolean hasNext() {
            return next < to && (deadline == Long.MAX_VALUE || System.nanoTime() < deadline);
        }

        @Override
        public FilteredColumnarBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int size = (int) Math.min(BATCH_ROWS, to - next);
            long[] ids = new long[size];
            Object[] names = new Object[size];
            Object[] categories = new Object[size];
            double[] amounts = new double[size];
            int[] quantities = new int[size];
            long[] micros = new long[size];
            for (int i = 0; i < size; i++) {
                LakeBenchRows.fill(row, next + i);
                ids[i] = row.getLong(0);
                names[i] = row.getString(1).toString();
                categories[i] = row.getString(2).toString();
                amounts[i] = row.getDouble(3);
                quantities[i] = row.getInt(4);
                TimestampData ts = row.getTimestamp(5, 6);
                micros[i] = ts.getMillisecond() * 1000 + ts.getNanoOfMillisecond() / 1000;
            }
            next += size;
            ColumnVector[] vectors = {
                new DefaultLongVector(LongType.LONG, size, Optional.empty(), ids),
                DefaultGenericVector.fromArray(StringType.STRING, names),
                DefaultGenericVector.fromArray(StringType.STRING, categories),
                new DefaultDoubleVector(size, Optional.empty(), amounts),
                new DefaultIntVector(IntegerType.INTEGER, size, Optional.empty(), quantities),
                new DefaultLongVector(TimestampType.TIMESTAMP, size, Optional.empty(), micros)
            };
            return new FilteredColumnarBatch(
                    new DefaultColumnarBatch(size, SCHEMA, vectors), Optional.empty());
        }

        @Override
        public void close() {}
    }
}
