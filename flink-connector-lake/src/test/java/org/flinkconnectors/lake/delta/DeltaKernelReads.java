package org.flinkconnectors.lake.delta;

import io.delta.kernel.Scan;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a Delta table with nothing but Kernel's own scan, as another Kernel-based reader would: the
 * interoperability check for what the sink writes. {@link #rows(Engine, String)} gives rows as
 * {@code "<id>,<name>[,<day>]"}; the e2e tests convert rows their own way.
 */
public final class DeltaKernelReads {

    private DeltaKernelReads() {}

    public static List<String> rows(Engine engine, String path) throws IOException {
        return rows(engine, path, DeltaKernelReads::text);
    }

    /**
     * Every row of the table at {@code path}, in scan order, each one as {@code convert} makes it.
     */
    public static <T> List<T> rows(Engine engine, String path, Function<Row, T> convert)
            throws IOException {
        Scan scan = TableManager.loadSnapshot(path).build(engine).getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        List<T> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        readFile(engine, scanState, fileRows.next(), convert, rows);
                    }
                }
            }
        }
        return rows;
    }

    private static <T> void readFile(
            Engine engine, Row scanState, Row scanFile, Function<Row, T> convert, List<T> rows)
            throws IOException {
        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
        CloseableIterator<ColumnarBatch> physical =
                engine.getParquetHandler()
                        .readParquetFiles(
                                Utils.singletonCloseableIterator(file),
                                ScanStateRow.getPhysicalDataReadSchema(scanState),
                                Optional.empty())
                        .map(FileReadResult::getData);
        try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
            while (logical.hasNext()) {
                try (CloseableIterator<Row> batchRows = logical.next().getRows()) {
                    while (batchRows.hasNext()) {
                        rows.add(convert.apply(batchRows.next()));
                    }
                }
            }
        }
    }

    private static String text(Row row) {
        StringBuilder text = new StringBuilder().append(row.getLong(0)).append(',');
        text.append(row.getString(1));
        if (row.getSchema().length() > 2) {
            text.append(',').append(row.getString(2));
        }
        return text.toString();
    }
}
