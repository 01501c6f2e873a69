package org.flinkconnectors.e2e.bench.scaling;

import org.flinkconnectors.base.testutils.EmbeddedKafkaCluster;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.source.enumerator.LakeEnumState;
import org.flinkconnectors.lake.source.enumerator.LakeEnumStateSerializer;
import org.flinkconnectors.odps.source.OdpsRecordDeserializer;
import org.flinkconnectors.odps.source.OdpsSource;
import org.flinkconnectors.odps.source.enumerator.OdpsEnumState;
import org.flinkconnectors.odps.source.enumerator.OdpsEnumStateSerializer;
import org.flinkconnectors.odps.source.enumerator.OdpsSourceEnumerator;
import org.flinkconnectors.odps.source.split.OdpsSplit;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.streams.source.StreamsSource;
import org.flinkconnectors.streams.source.enumerator.initializer.OffsetsInitializer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import com.aliyun.odps.data.Record;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Cost against size, where a source's work grows with the table rather than with its rows: planning
 * an Iceberg table of 1k / 10k / 100k data files (time, heap the splits take, enumerator state per
 * split), discovering a MaxCompute table of 100 / 1k / 10k partitions (time, state per split), and
 * reading a topic of 10 / 100 / 1,000 partitions of 1,000 records each (job time, records/s).
 * Prints one line per size and the cost per item, so growth beyond linear shows as a rising
 * per-item figure.
 *
 * <p>Arguments: {@code quick} (1k and 10k files, 100 and 1k partitions) or {@code full}.
 */
public final class ScalingBenchmark {

    private ScalingBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean full = args.length > 0 && args[0].equals("full");
        int[] files = full ? new int[] {1_000, 10_000, 100_000} : new int[] {1_000, 10_000};
        int[] partitions = full ? new int[] {100, 1_000, 10_000} : new int[] {100, 1_000};
        int[] topicPartitions = full ? new int[] {10, 100, 1_000} : new int[] {10, 100};
        ScalingReport report = new ScalingReport();
        System.out.println("=== scaling: Iceberg planning (local Hadoop catalog) ===");
        System.out.println("  data files   plan ms   µs/file   heap MB   state bytes/split");
        ArrayNode planning = report.series("Iceberg planning", "data files");
        for (int n : files) {
            icebergPlanning(n, planning);
        }
        System.out.println(
                "=== scaling: MaxCompute partition discovery (in-process test server) ===");
        System.out.println("  partitions   plan ms   µs/partition   state bytes/split");
        try (OdpsTestServer server = new OdpsTestServer()) {
            server.startUp();
            server.setRecordRequests(false);
            ArrayNode discovery = report.series("MaxCompute partition discovery", "partitions");
            for (int n : partitions) {
                odpsDiscovery(server, n, discovery);
            }
        }
        System.out.println(
                "=== scaling: topic partitions (embedded KRaft broker, parallelism 2) ===");
        System.out.println("  partitions    job ms   records/s   ms/partition");
        EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster();
        kafka.startUp();
        try {
            ArrayNode topic = report.series("Topic read (bounded job)", "partitions");
            for (int n : topicPartitions) {
                topicRead(kafka, n, topic);
            }
        } finally {
            kafka.tearDown();
        }
        report.finish();
    }

    /** A bounded read of every partition, timed as the whole job: discovery and assignment too. */
    private static void topicRead(EmbeddedKafkaCluster kafka, int partitionCount, ArrayNode series)
            throws Exception {
        String topic = "scaling-" + partitionCount;
        kafka.createTopic(topic, partitionCount);
        int perPartition = 1_000;
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int p = 0; p < partitionCount; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, "value-" + i));
                }
            }
            producer.flush();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromSource(
                        StreamsSource.<String>builder()
                                .setBootstrapServers(kafka.bootstrapServers())
                                .setTopics(topic)
                                .setStartingOffsets(OffsetsInitializer.earliest())
                                .setBounded(OffsetsInitializer.latest())
                                .setValueOnlyDeserializer(new SimpleStringSchema())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "topic")
                .sinkTo(new DiscardingSink<>());
        long runtime = env.execute("scaling " + partitionCount).getNetRuntime();
        long records = (long) partitionCount * perPartition;
        System.out.printf(
                "  %,10d %9d %11.0f %14.2f%n",
                partitionCount,
                runtime,
                records * 1_000.0 / runtime,
                (double) runtime / partitionCount);
        ScalingReport.point(
                series,
                partitionCount,
                runtime,
                Map.of("recordsPerSecond", records * 1_000.0 / runtime));
    }

    /** N files of 100 rows each, metadata only: planning never opens a data file. */
    private static void icebergPlanning(int fileCount, ArrayNode series) throws Exception {
        Path warehouse = Files.createTempDirectory("scaling-iceberg");
        HadoopCatalog catalog = new HadoopCatalog(new Configuration(), warehouse.toString());
        Schema schema =
                new Schema(
                        NestedField.required(
                                1, "id", org.apache.iceberg.types.Types.LongType.get()),
                        NestedField.optional(
                                2, "name", org.apache.iceberg.types.Types.StringType.get()));
        Table table =
                catalog.createTable(
                        TableIdentifier.of("db", "t" + fileCount),
                        schema,
                        PartitionSpec.unpartitioned());
        int perCommit = 10_000;
        for (int from = 0; from < fileCount; from += perCommit) {
            AppendFiles append = table.newFastAppend();
            for (int i = from; i < Math.min(fileCount, from + perCommit); i++) {
                append.appendFile(
                        DataFiles.builder(PartitionSpec.unpartitioned())
                                .withPath(warehouse.resolve("data/f-" + i + ".parquet").toString())
                                .withFormat(FileFormat.PARQUET)
                                .withFileSizeInBytes(4_096)
                                .withRecordCount(100)
                                .build());
            }
            append.commit();
        }
        long version = table.currentSnapshot().snapshotId();
        try (LakeTable lake =
                IcebergTableLoader.hadoop(warehouse.toString(), "db", "t" + fileCount).load()) {
            long heapBefore = usedHeap();
            long started = System.nanoTime();
            List<LakeSplit> splits = lake.planSplits(version, LakeScanSpec.latest());
            long nanos = System.nanoTime() - started;
            long heap = usedHeap() - heapBefore;
            byte[] state =
                    new LakeEnumStateSerializer()
                            .serialize(new LakeEnumState(true, version, splits));
            System.out.printf(
                    "  %,10d %9d %9.1f %9.1f %19.0f%n",
                    fileCount,
                    nanos / 1_000_000,
                    nanos / 1_000.0 / fileCount,
                    heap / 1e6,
                    (double) state.length / splits.size());
            ScalingReport.point(
                    series,
                    fileCount,
                    nanos / 1e6,
                    Map.of(
                            "heapMegabytes", heap / 1e6,
                            "stateBytesPerSplit", (double) state.length / splits.size()));
        }
    }

    /** N partitions of 10 rows each, planned by the enumerator as a bounded read does. */
    private static void odpsDiscovery(OdpsTestServer server, int partitionCount, ArrayNode series)
            throws Exception {
        String name = "scaling_" + partitionCount;
        OdpsTestTables.createTable(server, name, OdpsTestTables.idNameSchema(true));
        for (int p = 0; p < partitionCount; p++) {
            server.store()
                    .append(
                            OdpsTestServer.DEFAULT_PROJECT,
                            name,
                            "ds=" + p,
                            OdpsTestTables.idNameRows(0, 10, id -> "n"));
        }
        OdpsSource<String> source =
                OdpsSource.<String>builder()
                        .setConnection(OdpsTestTables.connection(server))
                        .setTable(name)
                        .setDeserializer(new PartitionOnly())
                        .build();
        TestingSplitEnumeratorContext<OdpsSplit> context = new TestingSplitEnumeratorContext<>(1);
        OdpsSourceEnumerator enumerator =
                new OdpsSourceEnumerator(context, source.getSettings(), OdpsEnumState.initial());
        long started = System.nanoTime();
        enumerator.start();
        context.triggerAllActions();
        long nanos = System.nanoTime() - started;
        OdpsEnumState state = enumerator.snapshotState(1);
        int splits = state.getUnassignedSplits().size();
        if (splits != partitionCount) {
            throw new IllegalStateException(
                    "Planned " + splits + " splits for " + partitionCount + " partitions");
        }
        byte[] bytes = new OdpsEnumStateSerializer().serialize(state);
        System.out.printf(
                "  %,10d %9d %14.1f %19.0f%n",
                partitionCount,
                nanos / 1_000_000,
                nanos / 1_000.0 / partitionCount,
                (double) bytes.length / splits);
        ScalingReport.point(
                series,
                partitionCount,
                nanos / 1e6,
                Map.of("stateBytesPerSplit", (double) bytes.length / splits));
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The partition of each row; planning never reads rows, but a source needs a deserializer. */
    private static final class PartitionOnly implements OdpsRecordDeserializer<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String deserialize(Record record, String partitionSpec) {
            return partitionSpec;
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
