package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeSourceBuilder;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.testutils.IcebergTestTables;
import org.flinkconnectors.lake.testutils.RandomValues;
import org.flinkconnectors.lake.testutils.StringValueConverter;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.types.Types.StringType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connector-testing-framework context for the lake source on Iceberg: one table {@code (value
 * STRING)} per test case; each split data writer appends every batch it is given as a Parquet file
 * in a snapshot of its own, so the suite's splits become data files.
 *
 * <p>Bounded sources read the current snapshot. Unbounded ones start with the current snapshot in
 * full and then tail the table, looking for new snapshots every 100 ms, so the data the suite
 * writes while the job runs (each batch a snapshot of its own) arrives within a fraction of a
 * second.
 */
class IcebergSourceExternalContext implements DataStreamSourceExternalContext<String> {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Schema SCHEMA =
            new Schema(NestedField.optional(1, "value", StringType.get()));

    private final IcebergTestTables tables;
    private final String name;
    private final Table table;

    IcebergSourceExternalContext(IcebergTestTables tables) {
        this.tables = tables;
        this.name = "suite_" + TABLES.incrementAndGet();
        this.table = tables.create(name, SCHEMA);
    }

    @Override
    public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
        LakeSourceBuilder<String> builder =
                LakeSource.builder()
                        .table(IcebergTableLoader.hadoop(tables.warehouse(), "db", name))
                        .converter(new StringValueConverter());
        if (settings.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED) {
            builder.streaming(LakeStartingPosition.earliest())
                    .monitorInterval(Duration.ofMillis(100));
        }
        return builder.build();
    }

    @Override
    public ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(
            TestingSourceSettings settings) {
        return new ExternalSystemSplitDataWriter<>() {
            @Override
            public void writeRecords(List<String> values) {
                List<Record> records = new ArrayList<>(values.size());
                for (String value : values) {
                    GenericRecord record = GenericRecord.create(SCHEMA);
                    record.setField("value", value);
                    records.add(record);
                }
                try {
                    table.refresh();
                    IcebergTestTables.append(table, records);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public List<String> generateTestData(
            TestingSourceSettings settings, int splitIndex, long seed) {
        return RandomValues.generate(new Random(seed), "split" + splitIndex + "-", 50, 200);
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
        return "IcebergSourceExternalContext{table=" + name + '}';
    }
}
