package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeColumnBatch;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.BaseCombinedScanTask;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ScanTaskParser;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.flink.source.DataIterator;
import org.apache.iceberg.flink.source.RowDataFileScanTaskReader;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.util.PropertyUtil;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Reads Iceberg splits with Iceberg's own Flink readers: {@link RowDataFileScanTaskReader} reads
 * Parquet, ORC and Avro data files into {@link RowData} and applies position and equality delete
 * files; {@link DataIterator} skips the records a restored split already emitted.
 *
 * <p>Change splits carry an {@link IcebergChangeTask}; their rows are emitted with the split's
 * {@link LakeSplit.ChangePhase#rowKind() row kind}. Rows a snapshot deleted through new delete
 * files are read by {@link IcebergDeletedRowsReader}.
 *
 * <p>Splits of Parquet files without equality deletes are read as column batches ({@link
 * IcebergColumnBatches}) when the projection allows it, the table does not turn Iceberg's
 * vectorized Parquet reads off ({@code read.parquet.vectorization.enabled}), and every filter is on
 * a projected column. Iceberg's row reader also skips row groups whose statistics exclude the
 * filters; with every filter applied to the rows as well, both paths emit the same rows, so a
 * restored split resumes at the same row whichever path read it before.
 */
@Internal
final class IcebergReaderFactory implements LakeReaderFactory {

    private static final long serialVersionUID = 1L;

    private static final RowData NO_FIELDS = new GenericRowData(0);

    /**
     * Rows per column batch unless the table says ({@code read.parquet.vectorization.batch-size}):
     * as many as the split reader hands over at once.
     */
    private static final int BATCH_ROWS = 1_024;

    /** A serializable copy: file IO and encryption, no catalog connection. */
    private final Table table;

    private final Schema tableSchema;
    private final Schema projectedSchema;
    @Nullable private final String nameMapping;
    private final List<Expression> rowFilters;
    private final boolean allFiltersOnRows;

    IcebergReaderFactory(
            Table table,
            Schema tableSchema,
            Schema projectedSchema,
            @Nullable String nameMapping,
            List<Expression> rowFilters,
            boolean allFiltersOnRows) {
        this.table = table;
        this.allFiltersOnRows = allFiltersOnRows;
        this.tableSchema = tableSchema;
        this.projectedSchema = projectedSchema;
        this.nameMapping = nameMapping;
        this.rowFilters = List.copyOf(rowFilters);
    }

    @Override
    public CloseableIterator<RowData> open(LakeSplit split) throws IOException {
        if (split.changePhase().isEmpty()) {
            return open(
                    ScanTaskParser.fromJson(new String(split.task(), StandardCharsets.UTF_8), true),
                    split);
        }
        IcebergChangeTask change = IcebergChangeTask.fromBytes(split.task());
        CloseableIterator<RowData> rows =
                change.rows() == IcebergChangeTask.Rows.ALL
                        ? open(change.task(), split)
                        : IcebergDeletedRowsReader.open(
                                change,
                                table,
                                tableSchema,
                                projectedSchema,
                                nameMapping,
                                rowFilters,
                                split.recordsToSkip());
        return withKind(rows, split.changePhase().get().rowKind());
    }

    @Override
    public Optional<CloseableIterator<LakeColumnBatch>> openBatches(LakeSplit split)
            throws IOException {
        if (split.changePhase().isPresent()
                || !allFiltersOnRows
                || !vectorizationEnabled()
                || !IcebergColumnBatches.supports(projectedSchema)) {
            return Optional.empty();
        }
        FileScanTask task =
                ScanTaskParser.fromJson(new String(split.task(), StandardCharsets.UTF_8), true);
        if (task.isDataTask()) {
            return Optional.empty();
        }
        try {
            return IcebergColumnBatches.open(
                    task,
                    table,
                    tableSchema,
                    projectedSchema,
                    nameMapping == null ? null : NameMappingParser.fromJson(nameMapping),
                    rowFilters,
                    split.recordsToSkip(),
                    PropertyUtil.propertyAsInt(
                            table.properties(), TableProperties.PARQUET_BATCH_SIZE, BATCH_ROWS));
        } catch (IOException | RuntimeException e) {
            throw readFailure(task, split, e);
        }
    }

    private boolean vectorizationEnabled() {
        return PropertyUtil.propertyAsBoolean(
                table.properties(),
                TableProperties.PARQUET_VECTORIZATION_ENABLED,
                TableProperties.PARQUET_VECTORIZATION_ENABLED_DEFAULT);
    }

    private CloseableIterator<RowData> open(FileScanTask task, LakeSplit split) throws IOException {
        RowDataFileScanTaskReader reader =
                new RowDataFileScanTaskReader(
                        tableSchema, projectedSchema, nameMapping, true, rowFilters);
        DataIterator<RowData> rows =
                new DataIterator<>(
                        reader, new BaseCombinedScanTask(task), table.io(), table.encryption());
        try {
            rows.seek(0, split.recordsToSkip());
        } catch (RuntimeException e) {
            rows.close();
            // Seeking opens the file: a corrupt file fails here, also when nothing is skipped.
            throw readFailure(task, split, e);
        }
        return CloseableIterator.adapterForIterator(rows, rows);
    }

    private static IOException readFailure(FileScanTask task, LakeSplit split, Exception cause) {
        return new IOException(
                "Could not read the Iceberg data file "
                        + task.file().location()
                        + " of split "
                        + split.splitId()
                        + (split.recordsToSkip() > 0
                                ? " to skip the " + split.recordsToSkip() + " records it emitted"
                                : ""),
                cause);
    }

    /**
     * Iceberg's projected rows refuse {@code setRowKind}, so the kind goes on a (reused) joined row
     * that adds no fields.
     */
    private static CloseableIterator<RowData> withKind(
            CloseableIterator<RowData> rows, RowKind kind) {
        JoinedRowData kinded = new JoinedRowData(kind, NO_FIELDS, NO_FIELDS);
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public RowData next() {
                return kinded.replace(rows.next(), NO_FIELDS);
            }

            @Override
            public void close() throws Exception {
                rows.close();
            }
        };
    }
}
