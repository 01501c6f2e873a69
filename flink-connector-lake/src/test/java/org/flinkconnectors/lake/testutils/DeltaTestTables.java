package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.delta.DeltaEngines;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * Real Delta tables in a local directory, created and appended to with Delta Kernel's own
 * transactions and Parquet writer: the fixtures the Delta binding's tests read. Rows are {@code (id
 * BIGINT NOT NULL, name STRING)} with {@code name = "name-<id>"}, plus {@code day STRING} in
 * partitioned tables.
 *
 * <p>The engine is built as the connector builds its own, so commits made here while a sink commits
 * to the same table go through the same atomic log store ({@code DeltaLocalLogStore}); with
 * Kernel's default store for local paths two writers can overwrite each other's commit file.
 */
public final class DeltaTestTables {

    public static final StructType SCHEMA =
            new StructType().add("id", LongType.LONG, false).add("name", StringType.STRING, true);

    public static final StructType PARTITIONED_SCHEMA = SCHEMA.add("day", StringType.STRING, true);

    private static final Pattern ADD_PATH = Pattern.compile("\"add\":\\{\"path\":\"([^\"]+)\"");

    private static final String ENGINE_INFO = "flink-connector-lake-tests";

    private final Engine engine = DeltaEngines.create();
    private final Path root;

    public DeltaTestTables(Path root) {
        this.root = root;
    }

    public Engine engine() {
        return engine;
    }

    /** The table's directory. */
    public String path(String table) {
        return root.resolve(table).toString();
    }

    /** Creates an unpartitioned table of {@link #SCHEMA} with these properties (version 0). */
    public String create(String table, Map<String, String> properties) {
        return create(table, SCHEMA, List.of(), properties);
    }

    /** Creates a table partitioned by {@code day} (version 0). */
    public String createPartitioned(String table) {
        return create(table, PARTITIONED_SCHEMA, List.of("day"), Map.of());
    }

    /** Creates a table (version 0). */
    public String create(
            String table,
            StructType schema,
            List<String> partitionColumns,
            Map<String, String> properties) {
        DataLayoutSpec layout =
                partitionColumns.isEmpty()
                        ? DataLayoutSpec.noDataLayout()
                        : DataLayoutSpec.partitioned(
                                partitionColumns.stream().map(Column::new).toList());
        TableManager.buildCreateTableTransaction(path(table), schema, ENGINE_INFO)
                .withTableProperties(properties)
                .withDataLayoutSpec(layout)
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
        return path(table);
    }

    /** Appends rows {@code fromId..toId-1} as one Parquet file; returns the new version. */
    public long append(String table, long fromId, long toId) throws IOException {
        return append(table, Map.of(), fromId, toId);
    }

    /** Appends rows {@code fromId..toId-1} of one {@code day} partition as one file. */
    public long appendPartition(String table, String day, long fromId, long toId)
            throws IOException {
        return append(table, Map.of("day", Literal.ofString(day)), fromId, toId);
    }

    private long append(String table, Map<String, Literal> partition, long fromId, long toId)
            throws IOException {
        List<Object[]> rows = new ArrayList<>();
        for (long id = fromId; id < toId; id++) {
            rows.add(
                    partition.isEmpty()
                            ? new Object[] {id, "name-" + id}
                            : new Object[] {id, "name-" + id, partition.get("day").getValue()});
        }
        return appendRows(table, partition, rows);
    }

    /** Appends rows (values as Kernel's vectors hold them) of one partition as one file. */
    public long appendRows(String table, Map<String, Literal> partition, List<Object[]> rows)
            throws IOException {
        Transaction txn = updateTransaction(table);
        Row state = txn.getTransactionState(engine);
        StructType schema = TransactionStateRow.getLogicalSchema(state);
        CloseableIterator<FilteredColumnarBatch> physical =
                Transaction.transformLogicalData(engine, state, batch(schema, rows), partition);
        var context = Transaction.getWriteContext(engine, state, partition);
        CloseableIterator<DataFileStatus> files =
                engine.getParquetHandler()
                        .writeParquetFiles(
                                context.getTargetDirectory(),
                                physical,
                                context.getStatisticsColumns());
        return commit(txn, Transaction.generateAppendActions(engine, state, files, context), table);
    }

    /**
     * Appends to a table with column mapping, which Kernel's {@code transformLogicalData} refuses:
     * the rows are written under the physical column names the table assigned, as a writer that
     * supports column mapping does.
     */
    public long appendColumnMapped(String table, long fromId, long toId) throws IOException {
        return appendColumnMapped(
                table,
                LongStream.range(fromId, toId)
                        .mapToObj(id -> new Object[] {id, "name-" + id})
                        .toList());
    }

    /**
     * Appends rows, one value per column of the table's current schema in its order, to a table
     * with column mapping (see {@link #appendColumnMapped(String, long, long)}).
     */
    public long appendColumnMapped(String table, List<Object[]> rows) throws IOException {
        Transaction txn = updateTransaction(table);
        Row state = txn.getTransactionState(engine);
        StructType physical = TransactionStateRow.getPhysicalSchema(state);
        List<Column> statsColumns =
                physical.fields().stream().map(f -> new Column(f.getName())).toList();
        var context = Transaction.getWriteContext(engine, state, Map.of());
        CloseableIterator<DataFileStatus> files =
                engine.getParquetHandler()
                        .writeParquetFiles(
                                context.getTargetDirectory(), batch(physical, rows), statsColumns);
        return commit(txn, Transaction.generateAppendActions(engine, state, files, context), table);
    }

    /**
     * Replaces the table's schema (metadata only; under column mapping Kernel keeps the physical
     * names of kept columns and gives added ones new ones).
     */
    public long updateSchema(String table, StructType schema) {
        return latest(table)
                .buildUpdateTableTransaction(ENGINE_INFO, Operation.MANUAL_UPDATE)
                .withUpdatedSchema(schema)
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable())
                .getVersion();
    }

    /** Sets table properties, e.g. to enable deletion vectors on an existing table. */
    public long setProperties(String table, Map<String, String> properties) {
        return latest(table)
                .buildUpdateTableTransaction(ENGINE_INFO, Operation.MANUAL_UPDATE)
                .withTablePropertiesAdded(properties)
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable())
                .getVersion();
    }

    /** Renames a top-level column (a metadata-only change under column mapping). */
    public long renameColumn(String table, String from, String to) {
        Snapshot latest = latest(table);
        List<StructField> fields = new ArrayList<>();
        for (StructField field : latest.getSchema().fields()) {
            fields.add(
                    field.getName().equals(from)
                            ? new StructField(
                                    to,
                                    field.getDataType(),
                                    field.isNullable(),
                                    field.getMetadata())
                            : field);
        }
        return latest.buildUpdateTableTransaction(ENGINE_INFO, Operation.MANUAL_UPDATE)
                .withUpdatedSchema(new StructType(fields))
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable())
                .getVersion();
    }

    public Snapshot latest(String table) {
        return TableManager.loadSnapshot(path(table)).build(engine);
    }

    /** The data files of the latest version as the log names them, with size and time. */
    public List<DataFile> dataFiles(String table) throws IOException {
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> batches =
                latest(table).getScanBuilder().build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        var status = InternalScanFileUtils.getAddFileStatus(row);
                        files.add(
                                new DataFile(
                                        InternalScanFileUtils.getFilePath(row),
                                        status.getSize(),
                                        status.getModificationTime()));
                    }
                }
            }
        }
        return files;
    }

    /** The data file a version added (the versions {@link #append} makes add one each). */
    public DataFile addedIn(String table, long version) throws IOException {
        Matcher added = ADD_PATH.matcher(Files.readString(commitFile(table, version)));
        if (!added.find()) {
            throw new IllegalArgumentException("Version " + version + " added no file");
        }
        String path = added.group(1);
        return dataFiles(table).stream()
                .filter(file -> file.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(path + " is no longer live"));
    }

    /** A data file of a table: its path relative to the table, size and modification time. */
    public record DataFile(String path, long size, long modificationTime) {}

    /** Sets the commit time of a version (without in-commit timestamps: its file's time). */
    public void setCommitTime(String table, long version, long epochMillis) throws IOException {
        Files.setLastModifiedTime(commitFile(table, version), FileTime.fromMillis(epochMillis));
    }

    /**
     * Commits a version written by hand (actions as JSON lines). The file appears at once, as a
     * rename, so a streaming read never sees half of it.
     */
    public long commitJson(String table, String actions) throws IOException {
        long version = latest(table).getVersion() + 1;
        Path target = commitFile(table, version);
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temporary, actions, StandardCharsets.UTF_8);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        return version;
    }

    public Path commitFile(String table, long version) {
        return root.resolve(table)
                .resolve("_delta_log")
                .resolve(String.format("%020d.json", version));
    }

    /** {@code "<id>,name-<id>"} for each id in {@code fromId..toId-1}. */
    public static List<String> expected(long fromId, long toId) {
        return LongStream.range(fromId, toId).mapToObj(id -> id + ",name-" + id).toList();
    }

    private Transaction updateTransaction(String table) {
        return latest(table)
                .buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE)
                .build(engine);
    }

    private long commit(Transaction txn, CloseableIterator<Row> actions, String table) {
        return txn.commit(engine, CloseableIterable.inMemoryIterable(actions)).getVersion();
    }

    private static CloseableIterator<FilteredColumnarBatch> batch(
            StructType schema, List<Object[]> rows) {
        int size = rows.size();
        ColumnVector[] vectors = new ColumnVector[schema.length()];
        for (int column = 0; column < vectors.length; column++) {
            List<Object> values = new ArrayList<>(size);
            for (Object[] row : rows) {
                values.add(row[column]);
            }
            vectors[column] =
                    DefaultGenericVector.fromList(schema.at(column).getDataType(), values);
        }
        ColumnarBatch data = new DefaultColumnarBatch(size, schema, vectors);
        return io.delta.kernel.internal.util.Utils.singletonCloseableIterator(
                new FilteredColumnarBatch(data, Optional.empty()));
    }
}
