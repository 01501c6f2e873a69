package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.RandomValues;
import org.flinkconnectors.lake.testutils.StringLakeSink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;

import io.delta.kernel.Scan;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connector-testing-framework context for the lake sink on Delta: one table {@code (value STRING)}
 * per test case, written with 1 KB target files so writers roll. The reader returns the rows of
 * committed data files it has not read before, with Kernel's own scan and Parquet reader.
 */
class DeltaSinkExternalContext implements DataStreamSinkV2ExternalContext<String> {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private final DeltaTestTables tables;
    private final String name;
    private final String path;

    DeltaSinkExternalContext(DeltaTestTables tables) {
        this.tables = tables;
        this.name = "sink_suite_" + TABLES.incrementAndGet();
        this.path = tables.create(name, DeltaSourceExternalContext.SCHEMA, List.of(), Map.of());
    }

    @Override
    public Sink<String> createSink(TestingSinkSettings settings) {
        return new StringLakeSink(
                LakeSink.builder()
                        .table(DeltaTableLoader.path(path))
                        .targetFileSizeBytes(1024)
                        .build());
    }

    @Override
    public ExternalSystemDataReader<String> createSinkDataReader(TestingSinkSettings settings) {
        return new CommittedFilesReader(tables, path);
    }

    @Override
    public List<String> generateTestData(TestingSinkSettings settings, long seed) {
        return RandomValues.generate(new Random(seed), "", 200, 500);
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of();
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "DeltaSinkExternalContext{table=" + name + '}';
    }

    /** Reads the data files of the latest version it has not read yet. */
    private static final class CommittedFilesReader implements ExternalSystemDataReader<String> {
        private final DeltaTestTables tables;
        private final String name;
        private final Set<String> read = new HashSet<>();

        CommittedFilesReader(DeltaTestTables tables, String path) {
            this.tables = tables;
            this.name = java.nio.file.Path.of(path).getFileName().toString();
        }

        @Override
        public List<String> poll(Duration timeout) {
            List<String> values = new ArrayList<>();
            Scan scan = tables.latest(name).getScanBuilder().build();
            Row scanState = scan.getScanState(tables.engine());
            try (CloseableIterator<FilteredColumnarBatch> files =
                    scan.getScanFiles(tables.engine())) {
                while (files.hasNext()) {
                    try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                        while (fileRows.hasNext()) {
                            Row scanFile = fileRows.next();
                            if (read.add(InternalScanFileUtils.getFilePath(scanFile))) {
                                readFile(scanState, scanFile, values);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return values;
        }

        private void readFile(Row scanState, Row scanFile, List<String> values) throws IOException {
            FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> physical =
                    tables.engine()
                            .getParquetHandler()
                            .readParquetFiles(
                                    Utils.singletonCloseableIterator(file),
                                    ScanStateRow.getPhysicalDataReadSchema(scanState),
                                    Optional.empty())
                            .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical =
                    Scan.transformPhysicalData(tables.engine(), scanState, scanFile, physical)) {
                while (logical.hasNext()) {
                    try (CloseableIterator<Row> rows = logical.next().getRows()) {
                        while (rows.hasNext()) {
                            values.add(rows.next().getString(0));
                        }
                    }
                }
            }
        }

        @Override
        public void close() {}
    }
}
