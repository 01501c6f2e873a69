package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.Scan;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.data.vector.DefaultBooleanVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.SchemaUtils;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.MetadataColumnSpec;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the rows of a file that Kernel's scan cannot select by itself: the rows of a {@code
 * _change_data} file of one change phase (by its {@code _change_type} column), and the rows at the
 * positions one deletion vector marks and another does not (by the row index). Each physical batch
 * is read with the extra column, which then selects its rows; {@link Scan#transformPhysicalData}
 * adds the partition values and maps column names as for any data file.
 */
@Internal
final class DeltaChangeReader {

    static final String CHANGE_TYPE = "_change_type";

    private DeltaChangeReader() {}

    /** The batches of a change data file, selecting the rows of {@code phase}. */
    static CloseableIterator<FilteredColumnarBatch> changeData(
            Engine engine, Row scanState, Row scanFile, ChangePhase phase) throws IOException {
        String file = InternalScanFileUtils.getAddFileStatus(scanFile).getPath();
        StructType physical =
                ScanStateRow.getPhysicalDataReadSchema(scanState)
                        .add(CHANGE_TYPE, StringType.STRING);
        return read(
                engine,
                scanState,
                scanFile,
                physical,
                batch -> {
                    int ordinal = batch.getSchema().indexOf(CHANGE_TYPE);
                    ColumnVector types = batch.getColumnVector(ordinal);
                    boolean[] selected = new boolean[batch.getSize()];
                    for (int row = 0; row < selected.length; row++) {
                        selected[row] = phaseOf(types, row, file) == phase;
                    }
                    return new Selected(batch.withDeletedColumnAt(ordinal), selected);
                });
    }

    /** The batches of a data file, selecting the rows at the positions {@code diff} holds. */
    static CloseableIterator<FilteredColumnarBatch> markedOnly(
            Engine engine, Row scanState, Row scanFile, DeltaDeletionVectorDiff diff)
            throws IOException {
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        if (!physical.contains(MetadataColumnSpec.ROW_INDEX)) {
            physical =
                    physical.add(
                            SchemaUtils.asInternalColumn(StructField.DEFAULT_ROW_INDEX_COLUMN));
        }
        return read(
                engine,
                scanState,
                scanFile,
                physical,
                batch -> {
                    ColumnVector positions =
                            batch.getColumnVector(
                                    batch.getSchema().indexOf(MetadataColumnSpec.ROW_INDEX));
                    boolean[] selected = new boolean[batch.getSize()];
                    for (int row = 0; row < selected.length; row++) {
                        selected[row] = diff.contains(positions.getLong(row));
                    }
                    // The row index is an internal column; transformPhysicalData drops it.
                    return new Selected(batch, selected);
                });
    }

    private static CloseableIterator<FilteredColumnarBatch> read(
            Engine engine,
            Row scanState,
            Row scanFile,
            StructType physicalSchema,
            Function<ColumnarBatch, Selected> selector)
            throws IOException {
        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
        CloseableIterator<ColumnarBatch> physical =
                engine.getParquetHandler()
                        .readParquetFiles(
                                Utils.singletonCloseableIterator(file),
                                physicalSchema,
                                Optional.empty())
                        .map(FileReadResult::getData);
        return physical.map(
                batch -> {
                    Selected selected = selector.apply(batch);
                    ColumnarBatch logical = logical(engine, scanState, scanFile, selected.data);
                    ColumnVector selection =
                            new DefaultBooleanVector(
                                    selected.rows.length, Optional.empty(), selected.rows);
                    return new FilteredColumnarBatch(logical, Optional.of(selection));
                });
    }

    /** Partition values added and names mapped; the scan file carries no deletion vector. */
    private static ColumnarBatch logical(
            Engine engine, Row scanState, Row scanFile, ColumnarBatch physical) {
        try (CloseableIterator<FilteredColumnarBatch> transformed =
                Scan.transformPhysicalData(
                        engine, scanState, scanFile, Utils.singletonCloseableIterator(physical))) {
            return transformed.next().getData();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ChangePhase phaseOf(ColumnVector types, int row, String file) {
        String type = types.isNullAt(row) ? null : types.getString(row);
        if ("delete".equals(type) || "update_preimage".equals(type)) {
            return ChangePhase.DELETE;
        }
        if ("insert".equals(type) || "update_postimage".equals(type)) {
            return ChangePhase.INSERT;
        }
        throw new IllegalStateException(
                "The change data file "
                        + file
                        + " has a row with "
                        + CHANGE_TYPE
                        + " '"
                        + type
                        + "'; expected insert, delete, update_preimage or update_postimage");
    }

    /** A physical batch without its selecting column, and which of its rows are selected. */
    private record Selected(ColumnarBatch data, boolean[] rows) {}
}
