package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.source.LakeSource;
import org.flinkconnectors.lake.source.LakeSourceBuilder;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.RandomValues;
import org.flinkconnectors.lake.testutils.StringValueConverter;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connector-testing-framework context for the lake source on Delta: one table {@code (value
 * STRING)} per test case; each split data writer commits every batch it is given as one Parquet
 * file in a version of its own (through Kernel's transactions), so the suite's splits become data
 * files.
 *
 * <p>Bounded sources read the latest version. Unbounded ones start with the latest version in full
 * and then tail the table, looking for new versions every 100 ms.
 */
class DeltaSourceExternalContext implements DataStreamSourceExternalContext<String> {

    private static final AtomicInteger TABLES = new AtomicInteger();
    static final StructType SCHEMA = new StructType().add("value", StringType.STRING, true);

    private final DeltaTestTables tables;
    private final String name;
    private final String path;

    DeltaSourceExternalContext(DeltaTestTables tables) {
        this.tables = tables;
        this.name = "suite_" + TABLES.incrementAndGet();
        this.path = tables.create(name, SCHEMA, List.of(), Map.of());
    }

    @Override
    public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
        LakeSourceBuilder<String> builder =
                LakeSource.builder()
                        .table(DeltaTableLoader.path(path))
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
                List<Object[]> rows = new ArrayList<>(values.size());
                for (String value : values) {
                    rows.add(new Object[] {value});
                }
                try {
                    tables.appendRows(name, Map.of(), rows);
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
        return "DeltaSourceExternalContext{table=" + name + '}';
    }
}
