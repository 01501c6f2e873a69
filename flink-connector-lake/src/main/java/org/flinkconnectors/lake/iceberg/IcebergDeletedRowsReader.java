package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.BaseCombinedScanTask;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.data.RowDataProjection;
import org.apache.iceberg.flink.source.DataIterator;
import org.apache.iceberg.flink.source.RowDataFileScanTaskReader;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads the rows of a {@link IcebergChangeTask.Rows#DELETED_BY_ADDED} change task: the data file
 * piece with the parent snapshot's deletes applied (Iceberg's own reader), keeping only the rows
 * the snapshot's added delete files delete, projected back to the requested columns.
 *
 * <p>Restored splits skip their emitted rows by reading past them, since the kept rows are not a
 * contiguous range of the file.
 */
@Internal
final class IcebergDeletedRowsReader {

    private IcebergDeletedRowsReader() {}

    static CloseableIterator<RowData> open(
            IcebergChangeTask change,
            Table table,
            Schema tableSchema,
            Schema projected,
            @Nullable String nameMapping,
            List<Expression> rowFilters,
            long recordsToSkip) {
        FileScanTask task = change.task();
        IcebergDeletedRowFilter added =
                new IcebergDeletedRowFilter(
                        task.file().location(),
                        change.addedDeletes(),
                        tableSchema,
                        projected,
                        IcebergDeleteFiles.opener(table));
        Schema readSchema = added.requiredSchema();
        Predicate<RowData> deleted = added.deleted();
        Function<RowData, RowData> toProjected;
        if (readSchema.sameSchema(projected)) {
            toProjected = Function.identity();
        } else {
            RowDataProjection projection =
                    RowDataProjection.create(
                            FlinkSchemaUtil.convert(readSchema),
                            readSchema.asStruct(),
                            projected.asStruct());
            toProjected = projection::wrap;
        }
        RowDataFileScanTaskReader reader =
                new RowDataFileScanTaskReader(
                        tableSchema, readSchema, nameMapping, true, rowFilters);
        DataIterator<RowData> rows =
                new DataIterator<>(
                        reader, new BaseCombinedScanTask(task), table.io(), table.encryption());
        Matching matching = new Matching(rows, deleted, toProjected);
        for (long i = 0; i < recordsToSkip && matching.hasNext(); i++) {
            matching.next();
        }
        return matching;
    }

    /** The rows of an iterator that match a predicate, mapped. */
    private static final class Matching implements CloseableIterator<RowData> {
        private final DataIterator<RowData> rows;
        private final Predicate<RowData> keep;
        private final Function<RowData, RowData> map;
        @Nullable private RowData next;

        Matching(
                DataIterator<RowData> rows,
                Predicate<RowData> keep,
                Function<RowData, RowData> map) {
            this.rows = rows;
            this.keep = keep;
            this.map = map;
        }

        @Override
        public boolean hasNext() {
            while (next == null && rows.hasNext()) {
                RowData row = rows.next();
                if (keep.test(row)) {
                    next = map.apply(row);
                }
            }
            return next != null;
        }

        @Override
        public RowData next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RowData row = next;
            next = null;
            return row;
        }

        @Override
        public void close() throws IOException {
            rows.close();
        }
    }
}
