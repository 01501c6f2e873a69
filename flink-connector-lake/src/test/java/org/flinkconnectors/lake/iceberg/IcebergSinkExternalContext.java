package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.testutils.IcebergTestTables;
import org.flinkconnectors.lake.testutils.RandomValues;
import org.flinkconnectors.lake.testutils.StringLakeSink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.types.Types.StringType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connector-testing-framework context for the lake sink on Iceberg: one table {@code (value
 * STRING)} per test case, written with 1 KB target files so writers roll. The reader returns the
 * rows of committed data files it has not read before, with Iceberg's own Parquet reader.
 */
class IcebergSinkExternalContext implements DataStreamSinkV2ExternalContext<String> {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Schema SCHEMA =
            new Schema(NestedField.optional(1, "value", StringType.get()));

    private final IcebergTestTables tables;
    private final String name;

    IcebergSinkExternalContext(IcebergTestTables tables) {
        this.tables = tables;
        this.name = "sink_suite_" + TABLES.incrementAndGet();
        tables.create(name, SCHEMA);
    }

    @Override
    public Sink<String> createSink(TestingSinkSettings settings) {
        return new StringLakeSink(
                LakeSink.builder()
                        .table(
                                IcebergTableLoader.hadoop(
                                        tables.warehouse(), IcebergTestTables.DATABASE, name))
                        .targetFileSizeBytes(1024)
                        .build());
    }

    @Override
    public ExternalSystemDataReader<String> createSinkDataReader(TestingSinkSettings settings) {
        return new CommittedFilesReader(tables.load(name));
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
    public void close() {
        tables.drop(name);
    }

    @Override
    public String toString() {
        return "IcebergSinkExternalContext{table=" + name + '}';
    }

    /** Reads the data files of the current snapshot it has not read yet. */
    private static final class CommittedFilesReader implements ExternalSystemDataReader<String> {
        private final Table table;
        private final Set<String> read = new HashSet<>();

        CommittedFilesReader(Table table) {
            this.table = table;
        }

        @Override
        public List<String> poll(Duration timeout) {
            table.refresh();
            List<String> values = new ArrayList<>();
            try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                for (FileScanTask task : tasks) {
                    if (read.add(task.file().location())) {
                        readFile(task.file().location(), values);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return values;
        }

        private void readFile(String location, List<String> values) throws IOException {
            try (CloseableIterable<Record> records =
                    Parquet.read(table.io().newInputFile(location))
                            .project(SCHEMA)
                            .createReaderFunc(
                                    type -> GenericParquetReaders.buildReader(SCHEMA, type))
                            .build()) {
                records.forEach(r -> values.add((String) r.getField("value")));
            }
        }

        @Override
        public void close() {}
    }
}
