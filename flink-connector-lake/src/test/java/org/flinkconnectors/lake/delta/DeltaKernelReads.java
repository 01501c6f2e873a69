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

/**
 * Reads a Delta table with nothing but Kernel's own scan, as another Kernel-based reader would: the
 * interoperability check for what the sink writes. Rows become {@code "<id>,<name>[,<day>]"}.
 */
public final class DeltaKernelReads {

    private DeltaKernelReads() {}

    public static List<String> rows(Engine engine, String path) throws IOException {
        Scan scan = TableManager.loadSnapshot(path).build(engine).getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        readFile(engine, scanState, fileRows.next(), rows);
                    }
                }
            }
        }
        return rows;
    }

    private static void readFile(Engine engine, Row scanState, Row scanFile, List<String> rows)
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
                        Row row = batchRows.next();
                        StringBuilder text = new StringBuilder().append(row.getLong(0)).append(',');
                        text.append(row.getString(1));
                        if (row.getSchema().length() > 2) {
                            text.append(',').append(row.getString(2));
                        }
                        rows.add(text.toString());
                    }
                }
            }
        }
    }
}
