package org.flinkconnectors.lake.parquet;

import org.flinkconnectors.base.table.vector.ConstantColumnVector;
import org.flinkconnectors.lake.core.LakeColumnBatch;

import org.apache.flink.annotation.Internal;
import org.apache.flink.formats.parquet.vector.ParquetDecimalVector;
import org.apache.flink.formats.parquet.vector.ParquetSplitReaderUtil;
import org.apache.flink.formats.parquet.vector.reader.ColumnReader;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.columnar.ColumnarRowData;
import org.apache.flink.table.data.columnar.vector.ColumnVector;
import org.apache.flink.table.data.columnar.vector.LongColumnVector;
import org.apache.flink.table.data.columnar.vector.VectorizedColumnBatch;
import org.apache.flink.table.data.columnar.vector.writable.WritableColumnVector;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * The rows of one byte range of a Parquet file (the row groups whose midpoint falls in it, as
 * Parquet's and Iceberg's readers choose them), read column by column into new Flink vectors for
 * each batch with Flink's vectorized column readers. Deleted rows (by their position in the file),
 * rows a filter rejects and the first rows a restored split already emitted are marked dropped,
 * never removed, so the batches keep the file's row order.
 */
@Internal
public final class ParquetColumnBatches implements CloseableIterator<LakeColumnBatch> {

    private final ParquetFileReader file;
    private final RowType outputType;
    private final List<ParquetColumn> columns;
    private final MessageType requested;
    private final int batchSize;
    @Nullable private final LongPredicate deleted;
    @Nullable private final Predicate<RowData> keep;
    private final ColumnVector[] constants;

    private ColumnReader<?>[] readers;
    private long rowsLeftInGroup;
    private long nextPosition;
    private long liveRowsToSkip;
    @Nullable private LakeColumnBatch next;
    private boolean ended;

    private ParquetColumnBatches(
            ParquetFileReader file,
            RowType outputType,
            List<ParquetColumn> columns,
            MessageType requested,
            int batchSize,
            @Nullable LongPredicate deleted,
            @Nullable Predicate<RowData> keep,
            long liveRowsToSkip) {
        this.file = file;
        this.deleted = deleted;
        this.outputType = outputType;
        this.columns = columns;
        this.requested = requested;
        this.batchSize = batchSize;
        this.keep = keep;
        this.liveRowsToSkip = liveRowsToSkip;
        this.constants = new ColumnVector[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i) instanceof ParquetColumn.Constant constant) {
                constants[i] = new ConstantColumnVector(constant.value());
            }
        }
        file.setRequestedSchema(requested);
    }

    /**
     * Opens the file's rows in {@code [start, start + length)}; empty, with the file closed, when
     * one of its columns cannot be read into vectors as it is (see {@link ParquetColumnTypes}).
     *
     * @param columnsOfFile the source of each output column, given the file's schema
     * @param deleted the positions (in the whole file) of deleted rows, or {@code null} for none
     * @param keep the rows to emit of those not deleted, or {@code null} for all
     * @param liveRowsToSkip emitted rows a restored split skips, counted after deletes and {@code
     *     keep}
     */
    public static Optional<CloseableIterator<LakeColumnBatch>> open(
            InputFile input,
            long start,
            long length,
            RowType outputType,
            Function<MessageType, Optional<List<ParquetColumn>>> columnsOfFile,
            @Nullable LongPredicate deleted,
            @Nullable Predicate<RowData> keep,
            long liveRowsToSkip,
            int batchSize)
            throws IOException {
        ParquetReadOptions options =
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withRange(start, start + length)
                        .build();
        ParquetFileReader file = ParquetFileReader.open(input, options);
        try {
            MessageType fileSchema = file.getFileMetaData().getSchema();
            Optional<List<ParquetColumn>> columns = columnsOfFile.apply(fileSchema);
            if (columns.isEmpty() || !readable(outputType, columns.get(), fileSchema)) {
                file.close();
                return Optional.empty();
            }
            return Optional.of(
                    new ParquetColumnBatches(
                            file,
                            outputType,
                            columns.get(),
                            requestedSchema(fileSchema, columns.get()),
                            batchSize,
                            deleted,
                            keep,
                            liveRowsToSkip));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static boolean readable(
            RowType outputType, List<ParquetColumn> columns, MessageType fileSchema) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i) instanceof ParquetColumn.FileColumn column
                    && !(fileSchema.containsField(column.name())
                            && ParquetColumnTypes.readable(
                                    outputType.getTypeAt(i), fileSchema.getType(column.name())))) {
                return false;
            }
        }
        return true;
    }

    private static MessageType requestedSchema(
            MessageType fileSchema, List<ParquetColumn> columns) {
        List<Type> fields = new ArrayList<>();
        for (ParquetColumn column : columns) {
            if (column instanceof ParquetColumn.FileColumn file) {
                fields.add(fileSchema.getType(file.name()));
            }
        }
        return new MessageType(fileSchema.getName(), fields);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            try {
                next = readBatch();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public LakeColumnBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LakeColumnBatch batch = next;
        next = null;
        return batch;
    }

    @Nullable
    private LakeColumnBatch readBatch() throws IOException {
        while (rowsLeftInGroup == 0) {
            PageReadStore pages = file.readNextRowGroup();
            if (pages == null) {
                return null;
            }
            startRowGroup(pages);
        }
        int rows = (int) Math.min(batchSize, rowsLeftInGroup);
        rowsLeftInGroup -= rows;
        long firstPosition = nextPosition;
        nextPosition += rows;
        ColumnVector[] vectors = new ColumnVector[columns.size()];
        int read = 0;
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = constants[i] != null ? constants[i] : readVector(i, read++, rows);
        }
        VectorizedColumnBatch batch = new VectorizedColumnBatch(vectors);
        batch.setNumRows(rows);
        return new LakeColumnBatch(batch, droppedRows(batch, firstPosition));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ColumnVector readVector(int column, int fileColumn, int rows) throws IOException {
        LogicalType type = readType(outputType.getTypeAt(column));
        Type fileType = requested.getType(fileColumn);
        WritableColumnVector vector =
                ParquetSplitReaderUtil.createWritableColumnVector(
                        rows, type, fileType, requested.getColumns(), 0);
        ((ColumnReader) readers[fileColumn]).readToVector(rows, vector);
        switch (outputType.getTypeAt(column).getTypeRoot()) {
            case DECIMAL:
                return new ParquetDecimalVector(vector);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return new MicrosTimestampVector((LongColumnVector) vector);
            default:
                return vector;
        }
    }

    /** Timestamps are read as their microseconds (see {@link MicrosTimestampVector}). */
    private static LogicalType readType(LogicalType outputType) {
        LogicalTypeRoot root = outputType.getTypeRoot();
        return root == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE
                        || root == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE
                ? new BigIntType(outputType.isNullable())
                : outputType;
    }

    private void startRowGroup(PageReadStore pages) throws IOException {
        rowsLeftInGroup = pages.getRowCount();
        if (deleted != null) {
            nextPosition =
                    pages.getRowIndexOffset()
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    "Parquet did not tell the position of a row"
                                                            + " group, deleted rows cannot be"
                                                            + " found."));
        }
        readers = new ColumnReader<?>[requested.getFieldCount()];
        int fileColumn = 0;
        for (int i = 0; i < columns.size(); i++) {
            if (constants[i] == null) {
                readers[fileColumn] =
                        ParquetSplitReaderUtil.createColumnReader(
                                true,
                                readType(outputType.getTypeAt(i)),
                                requested.getType(fileColumn),
                                requested.getColumns(),
                                pages,
                                null,
                                0);
                fileColumn++;
            }
        }
    }

    @Nullable
    private BitSet droppedRows(VectorizedColumnBatch batch, long firstPosition) {
        if (deleted == null && keep == null && liveRowsToSkip == 0) {
            return null;
        }
        BitSet dropped = new BitSet(batch.getNumRows());
        ColumnarRowData row = new ColumnarRowData(batch);
        for (int i = 0; i < batch.getNumRows(); i++) {
            row.setRowId(i);
            if (deleted != null && deleted.test(firstPosition + i)) {
                dropped.set(i);
            } else if (keep != null && !keep.test(row)) {
                dropped.set(i);
            } else if (liveRowsToSkip > 0) {
                liveRowsToSkip--;
                dropped.set(i);
            }
        }
        return dropped;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
