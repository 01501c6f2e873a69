package org.flinkconnectors.lake.delta;

import org.flinkconnectors.base.sink.BufferBudget;
import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.table.data.RowData;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes rows into Parquet files with Kernel's own write path: rows are buffered per partition
 * (input need not be clustered), column-wise in typed chunks ({@link DeltaFileBuffer}), and, when a
 * buffer reaches the target size, when all buffers together exceed the writer's memory budget (the
 * largest then), or at {@link #complete()}, handed to {@code Transaction.transformLogicalData}
 * (which drops the partition columns from the file), Kernel's Parquet writer and {@code
 * generateAppendActions}, which makes the {@code add} actions with partition values and statistics.
 * Files get Kernel's random names, so a restarted attempt never overwrites a file of the failed
 * one.
 */
@Internal
final class DeltaDataWriter implements LakeDataWriter {

    private final Engine engine;
    private final Row transactionState;
    private final StructType schema;
    private final int[] partitionFields;
    private final long targetFileSizeBytes;
    private final BufferBudget<List<Object>> budget;

    private final Map<List<Object>, DeltaFileBuffer> buffers = new LinkedHashMap<>();
    private final List<Row> actions = new ArrayList<>();
    private final List<String> writtenPaths = new ArrayList<>();
    private long records;
    private long bytes;

    DeltaDataWriter(
            Engine engine, Row transactionState, long targetFileSizeBytes, long bufferMemoryBytes) {
        this.engine = engine;
        this.transactionState = transactionState;
        this.schema = TransactionStateRow.getLogicalSchema(transactionState);
        this.partitionFields =
                TransactionStateRow.getPartitionColumnsList(transactionState).stream()
                        .mapToInt(this::fieldIndex)
                        .toArray();
        this.targetFileSizeBytes = targetFileSizeBytes;
        this.budget = new BufferBudget<>(bufferMemoryBytes);
    }

    private int fieldIndex(String column) {
        for (int i = 0; i < schema.length(); i++) {
            if (schema.at(i).getName().equalsIgnoreCase(column)) {
                return i;
            }
        }
        throw new IllegalStateException("Partition column " + column + " is not in " + schema);
    }

    @Override
    public void write(RowData row) throws IOException {
        List<Object> partition = partitionOf(row);
        DeltaFileBuffer buffer = buffers.get(partition);
        if (buffer == null) {
            buffer = new DeltaFileBuffer(schema);
            buffers.put(partition, buffer);
        }
        buffer.append(row);
        records++;
        if (buffer.bytes() >= targetFileSizeBytes) {
            writeFile(partition, buffer);
        }
        budget.resized(partition, buffer.bytes());
        budget.enforce(this::writeLargest);
    }

    /** Writes out the buffer the memory budget picked, as a file smaller than the target. */
    private long writeLargest(List<Object> partition) throws IOException {
        DeltaFileBuffer buffer = buffers.get(partition);
        writeFile(partition, buffer);
        return buffer.bytes();
    }

    /**
     * The bytes the partitions' buffers hold now, by the same rough estimate that rolls files
     * ({@link DeltaColumnChunk#append}).
     */
    @VisibleForTesting
    long bufferedBytes() {
        return budget.buffered();
    }

    /** The most bytes the buffers held after a row was written. */
    @VisibleForTesting
    long peakBufferedBytes() {
        return budget.peak();
    }

    /** The row's partition values; the same empty key for every row of an unpartitioned table. */
    private List<Object> partitionOf(RowData row) {
        if (partitionFields.length == 0) {
            return List.of();
        }
        List<Object> partition = new ArrayList<>(partitionFields.length);
        for (int field : partitionFields) {
            partition.add(DeltaWriteValues.read(row, field, schema.at(field).getDataType()));
        }
        return partition;
    }

    private void writeFile(List<Object> partition, DeltaFileBuffer buffer) throws IOException {
        Map<String, Literal> partitionValues = new HashMap<>();
        for (int i = 0; i < partitionFields.length; i++) {
            int field = partitionFields[i];
            partitionValues.put(
                    schema.at(field).getName(),
                    DeltaWriteValues.literal(partition.get(i), schema.at(field).getDataType()));
        }
        CloseableIterator<FilteredColumnarBatch> physical =
                Transaction.transformLogicalData(
                        engine, transactionState, buffer.drain(), partitionValues);
        DataWriteContext context =
                Transaction.getWriteContext(engine, transactionState, partitionValues);
        List<DataFileStatus> files = new ArrayList<>();
        try (CloseableIterator<DataFileStatus> written =
                engine.getParquetHandler()
                        .writeParquetFiles(
                                context.getTargetDirectory(),
                                physical,
                                context.getStatisticsColumns())) {
            written.forEachRemaining(
                    file -> {
                        files.add(file);
                        writtenPaths.add(file.getPath());
                        bytes += file.getSize();
                    });
        }
        try (CloseableIterator<Row> append =
                Transaction.generateAppendActions(
                        engine,
                        transactionState,
                        Utils.toCloseableIterator(files.iterator()),
                        context)) {
            append.forEachRemaining(actions::add);
        }
    }

    @Override
    public Optional<LakeWriteResult> complete() throws IOException {
        for (Map.Entry<List<Object>, DeltaFileBuffer> entry : buffers.entrySet()) {
            if (!entry.getValue().isEmpty()) {
                writeFile(entry.getKey(), entry.getValue());
            }
        }
        buffers.clear();
        budget.clear();
        if (actions.isEmpty()) {
            return Optional.empty();
        }
        LakeWriteResult result =
                new LakeWriteResult(actions.size(), records, bytes, DeltaAddFiles.encode(actions));
        actions.clear();
        writtenPaths.clear();
        records = 0;
        bytes = 0;
        return Optional.of(result);
    }

    @Override
    public void close() throws IOException {
        buffers.clear();
        budget.clear();
        actions.clear();
        // Files of an unfinished checkpoint are never committed; delete them now.
        for (String path : writtenPaths) {
            engine.getFileSystemClient().delete(path);
        }
        writtenPaths.clear();
    }

    @Override
    public String toString() {
        return "DeltaDataWriter{partitions=" + Arrays.toString(partitionFields) + '}';
    }
}
