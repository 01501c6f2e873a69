package org.flinkconnectors.examples;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.iceberg.IcebergCatalogConfig;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.sink.LakeSink;
import org.flinkconnectors.lake.source.LakeSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ParameterTool;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

import java.io.Closeable;
import java.util.List;

/**
 * The {@code lake} connector from the DataStream API: creates an Iceberg table (partitioned by
 * customer) with Iceberg's API if it is missing, writes rows into it exactly once with a {@link
 * LakeSink}, and reads one customer's rows back with a bounded {@link LakeSource} that prunes the
 * other partitions. For a Delta table use {@code DeltaTableLoader.path(...)} instead of the {@link
 * IcebergTableLoader}.
 *
 * <p>Parameters, as {@code --key value} or {@code -Dkey=value}: {@code warehouse} (required: a
 * directory or URI), {@code rows} (default 1000).
 */
public final class LakeExample {

    private static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "customer", Types.StringType.get()),
                    Types.NestedField.optional(3, "amount", Types.DoubleType.get()));

    private LakeExample() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params =
                ParameterTool.fromSystemProperties().mergeWith(ParameterTool.fromArgs(args));
        IcebergCatalogConfig icebergCatalog =
                IcebergCatalogConfig.hadoop(params.getRequired("warehouse"));
        long rows = params.getLong("rows", 1000);

        // The sink writes into an existing table; create it in the Iceberg catalog.
        TableIdentifier orders = TableIdentifier.of("shop", "orders");
        Catalog catalog = icebergCatalog.open();
        try {
            if (!catalog.tableExists(orders)) {
                catalog.createTable(
                        orders,
                        SCHEMA,
                        PartitionSpec.builderFor(SCHEMA).identity("customer").build());
            }
        } finally {
            ((Closeable) catalog).close();
        }
        IcebergTableLoader table = IcebergTableLoader.of(icebergCatalog, "shop", "orders");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // Exactly-once: one Iceberg snapshot per checkpoint, made when the checkpoint completes.
        env.enableCheckpointing(1000);
        RowType rowType = FlinkSchemaUtil.convert(SCHEMA);
        env.fromSequence(1, rows)
                .map(
                        id ->
                                GenericRowData.of(
                                        id, StringData.fromString("c" + id % 4), id % 500 + 0.5),
                        InternalTypeInfo.of(rowType))
                .sinkTo(LakeSink.builder().table(table).build());
        env.execute("LakeExample: write");

        LakeSource<RowData> source =
                LakeSource.builder()
                        .table(table)
                        .scan(
                                LakeScanSpec.builder()
                                        .project(List.of("id", "amount"))
                                        // prunes the partitions of other customers
                                        .filter(LakePredicate.equal("customer", "c1"))
                                        .build())
                        .build();
        long read = 0;
        try (CloseableIterator<RowData> c1 =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders")
                        .executeAndCollect("LakeExample: read")) {
            while (c1.hasNext()) {
                c1.next();
                read++;
            }
        }
        System.out.printf(
                "LakeExample: wrote %d rows into Iceberg table shop.orders exactly once, read %d"
                        + " rows of customer c1 back%n",
                rows, read);
    }
}
