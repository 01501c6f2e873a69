package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The rows of one data file not yet written, column-wise in chunks ({@link DeltaColumnChunk}), each
 * chunk one column batch for Kernel's Parquet writer. Chunks never copy values as the buffer grows;
 * they start small and double up to {@value #CHUNK_ROWS} rows, so that the buffers of a writer that
 * sees many partitions stay small.
 */
@Internal
final class DeltaFileBuffer {

    static final int CHUNK_ROWS = 4096;

    private static final int FIRST_CHUNK_ROWS = 64;

    private final StructType schema;
    private final int[] notNullColumns;
    private final List<DeltaColumnChunk[]> chunks = new ArrayList<>();
    private DeltaColumnChunk[] current;
    private long bytes;
    private long rows;

    DeltaFileBuffer(StructType schema) {
        this.schema = schema;
        this.notNullColumns =
                IntStream.range(0, schema.length())
                        .filter(i -> !schema.at(i).isNullable())
                        .toArray();
    }

    /** Appends a row; fails, naming the column, on a null in a column that cannot hold one. */
    void append(RowData row) {
        for (int i : notNullColumns) {
            if (row.isNullAt(i)) {
                throw new IllegalArgumentException(
                        "Column '"
                                + schema.at(i).getName()
                                + "' of the Delta table is NOT NULL but a row to write has null"
                                + " in it.");
            }
        }
        if (current == null || current[0].isFull()) {
            int capacity = (int) Math.min(CHUNK_ROWS, Math.max(FIRST_CHUNK_ROWS, rows));
            current = new DeltaColumnChunk[schema.length()];
            for (int i = 0; i < current.length; i++) {
                current[i] = new DeltaColumnChunk(schema.at(i).getDataType(), capacity);
            }
            chunks.add(current);
        }
        rows++;
        for (int i = 0; i < current.length; i++) {
            bytes += current[i].append(row, i);
        }
    }

    /** The rough in-memory size of the buffered rows. */
    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** The buffered rows as column batches, each chunk released as Kernel moves past it. */
    CloseableIterator<FilteredColumnarBatch> drain() {
        Iterator<DeltaColumnChunk[]> remaining = new ArrayList<>(chunks).iterator();
        chunks.clear();
        current = null;
        bytes = 0;
        rows = 0;
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return remaining.hasNext();
            }

            @Override
            public FilteredColumnarBatch next() {
                DeltaColumnChunk[] columns = remaining.next();
                remaining.remove();
                ColumnVector[] vectors = columns;
                return new FilteredColumnarBatch(
                        new DefaultColumnarBatch(columns[0].getSize(), schema, vectors),
                        Optional.empty());
            }

            @Override
            public void close() {}
        };
    }
}
