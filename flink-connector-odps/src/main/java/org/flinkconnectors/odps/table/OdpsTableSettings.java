package org.flinkconnectors.odps.table;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.source.PartitionChangePolicy;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.factories.FactoryUtil;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;

/** The resolved and validated options of one {@code odps} table. */
@Internal
final class OdpsTableSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    final OdpsConnectionConfig connection;
    final String table;
    @Nullable final String partition;
    final DeliveryGuarantee deliveryGuarantee;
    final int dynamicPartitionLimit;
    final long maxBlockBytes;
    final long maxBlockRows;
    final long bufferMemory;
    @Nullable final Duration flushInterval;
    @Nullable final Integer sinkParallelism;
    final long splitRows;
    final OdpsConnectorOptions.ScanFormat scanFormat;
    @Nullable final Duration discoveryInterval;
    final PartitionChangePolicy partitionChangePolicy;
    @Nullable final Integer sourceParallelism;
    final int maxPartitions;
    final LookupCacheSettings lookup;

    /** Alibaba's {@code enableUpsert}, checked against the sink's PRIMARY KEY. */
    @Nullable final Boolean enableUpsert;

    OdpsTableSettings(ReadableConfig options) {
        this.connection = OdpsConnectionConfig.fromOptions(options);
        this.table = options.get(OdpsConnectorOptions.TABLE);
        this.partition = options.getOptional(OdpsConnectorOptions.PARTITION).orElse(null);
        this.deliveryGuarantee = options.get(OdpsConnectorOptions.SINK_DELIVERY_GUARANTEE);
        if (deliveryGuarantee == DeliveryGuarantee.NONE) {
            throw new ValidationException(
                    "Invalid value 'none' for option '"
                            + OdpsConnectorOptions.SINK_DELIVERY_GUARANTEE.key()
                            + "'. Supported values: exactly-once, at-least-once.");
        }
        this.dynamicPartitionLimit = options.get(OdpsConnectorOptions.SINK_DYNAMIC_PARTITION_LIMIT);
        this.maxBlockBytes =
                options.get(OdpsConnectorOptions.SINK_BUFFER_FLUSH_MAX_SIZE).getBytes();
        this.maxBlockRows = options.get(OdpsConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS);
        this.bufferMemory = options.get(OdpsConnectorOptions.SINK_BUFFER_MEMORY).getBytes();
        Duration interval = options.get(OdpsConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL);
        this.flushInterval = interval.isZero() ? null : interval;
        this.sinkParallelism = options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null);
        this.splitRows = options.get(OdpsConnectorOptions.SCAN_SPLIT_ROWS);
        this.discoveryInterval =
                options.getOptional(OdpsConnectorOptions.SCAN_PARTITION_DISCOVERY_INTERVAL)
                        .orElse(null);
        this.partitionChangePolicy = options.get(OdpsConnectorOptions.SCAN_ON_PARTITION_CHANGE);
        this.sourceParallelism = options.getOptional(FactoryUtil.SOURCE_PARALLELISM).orElse(null);
        this.maxPartitions = options.get(OdpsConnectorOptions.SCAN_MAX_PARTITIONS);
        this.lookup = LookupCacheSettings.fromOptions(options);
        this.enableUpsert = options.getOptional(OdpsMigrationOptions.ENABLE_UPSERT).orElse(null);
        this.scanFormat = options.get(OdpsConnectorOptions.SCAN_FORMAT);
        positive(OdpsConnectorOptions.SINK_DYNAMIC_PARTITION_LIMIT.key(), dynamicPartitionLimit);
        positive(OdpsConnectorOptions.SINK_BUFFER_FLUSH_MAX_SIZE.key(), maxBlockBytes);
        positive(OdpsConnectorOptions.SINK_BUFFER_MEMORY.key(), bufferMemory);
        positive(OdpsConnectorOptions.SCAN_SPLIT_ROWS.key(), splitRows);
        if (maxBlockRows < 0) {
            throw new ValidationException(
                    "Option '"
                            + OdpsConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS.key()
                            + "' must be 0 (no limit) or positive, but is "
                            + maxBlockRows
                            + ".");
        }
    }

    String tablePath() {
        return connection.project()
                + connection.schema().map(s -> "." + s).orElse("")
                + "."
                + table;
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new ValidationException(
                    "Option '" + key + "' must be positive, but is " + value + ".");
        }
    }
}
