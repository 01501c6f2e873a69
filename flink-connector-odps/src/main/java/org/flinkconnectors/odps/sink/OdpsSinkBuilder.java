package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.Preconditions;

import java.time.Duration;

/**
 * Builds an {@link OdpsSink}. Connection, table and serialization schema are required; the rest
 * have production defaults (exactly-once, appending, 8 MiB blocks, at most 100 partitions per
 * writer and checkpoint, 64 MiB of buffers per writer).
 *
 * <pre>{@code
 * OdpsSink<RowData> sink = OdpsSink.<RowData>builder()
 *     .setConnection(connection)
 *     .setTable("customers")          // a table with PRIMARY KEY (id)
 *     .setUpsert(true)                // RowKind decides upsert or delete
 *     .setSerializationSchema(new CustomerSerializer())
 *     .build();
 * }</pre>
 *
 * @param <IN> the element type
 */
@PublicEvolving
public class OdpsSinkBuilder<IN> {

    public static final long DEFAULT_BLOCK_BYTES = 8L << 20;
    public static final long DEFAULT_BLOCK_ROWS = Long.MAX_VALUE;
    public static final int DEFAULT_DYNAMIC_PARTITION_LIMIT = 100;
    public static final long DEFAULT_BUFFER_MEMORY = 64L << 20;

    private OdpsConnectionConfig connection;
    private String table;
    private OdpsRecordSerializationSchema<IN> serializer;
    private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
    private String partition;
    private boolean overwrite;
    private int dynamicPartitionLimit = DEFAULT_DYNAMIC_PARTITION_LIMIT;
    private long maxBlockBytes = DEFAULT_BLOCK_BYTES;
    private long maxBlockRows = DEFAULT_BLOCK_ROWS;
    private long bufferMemory = DEFAULT_BUFFER_MEMORY;
    private Duration flushInterval;
    private boolean compress = true;
    private boolean upsert;

    OdpsSinkBuilder() {}

    public OdpsSinkBuilder<IN> setConnection(OdpsConnectionConfig connection) {
        this.connection = connection;
        return this;
    }

    public OdpsSinkBuilder<IN> setTable(String table) {
        this.table = table;
        return this;
    }

    public OdpsSinkBuilder<IN> setSerializationSchema(OdpsRecordSerializationSchema<IN> schema) {
        this.serializer = schema;
        return this;
    }

    /** EXACTLY_ONCE (default) or AT_LEAST_ONCE. */
    public OdpsSinkBuilder<IN> setDeliveryGuarantee(DeliveryGuarantee guarantee) {
        this.deliveryGuarantee = guarantee;
        return this;
    }

    /** The partition rows go to when the schema names none ({@code ds=20261121}). */
    public OdpsSinkBuilder<IN> setPartition(String partition) {
        this.partition = partition;
        return this;
    }

    /** Replace the partitions' data instead of appending (INSERT OVERWRITE, batch jobs). */
    public OdpsSinkBuilder<IN> setOverwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    public OdpsSinkBuilder<IN> setDynamicPartitionLimit(int limit) {
        this.dynamicPartitionLimit = limit;
        return this;
    }

    /** Upload a block once this many bytes are buffered for a partition. */
    public OdpsSinkBuilder<IN> setMaxBlockBytes(long bytes) {
        this.maxBlockBytes = bytes;
        return this;
    }

    /** Upload a block once this many rows are buffered for a partition. */
    public OdpsSinkBuilder<IN> setMaxBlockRows(long rows) {
        this.maxBlockRows = rows;
        return this;
    }

    /**
     * The memory one writer subtask may buffer over all its partitions; when the buffers hold more,
     * the largest is uploaded as a block at once (default 64 MiB). A budget below the block size
     * makes blocks, and so files in MaxCompute, smaller.
     */
    public OdpsSinkBuilder<IN> setBufferMemory(long bytes) {
        this.bufferMemory = bytes;
        return this;
    }

    /** At-least-once only: also commit every interval, not just at checkpoints. */
    public OdpsSinkBuilder<IN> setFlushInterval(Duration interval) {
        this.flushInterval = interval;
        return this;
    }

    /** Compress blocks on the wire (default true). */
    public OdpsSinkBuilder<IN> setCompression(boolean compress) {
        this.compress = compress;
        return this;
    }

    /**
     * Upsert into a primary-key (transactional) table instead of appending: each element upserts or
     * deletes the row of its key as {@link OdpsRecordSerializationSchema#changeKindOf} says,
     * through tunnel upsert sessions that are committed like upload sessions (exactly once, one per
     * partition and checkpoint, checkpoint by checkpoint). Elements with the same key must reach
     * the same writer subtask in order, e.g. through a {@code keyBy} on the key.
     */
    public OdpsSinkBuilder<IN> setUpsert(boolean upsert) {
        this.upsert = upsert;
        return this;
    }

    public OdpsSink<IN> build() {
        Preconditions.checkNotNull(connection, "The connection must be set.");
        Preconditions.checkArgument(table != null && !table.isBlank(), "The table must be set.");
        Preconditions.checkNotNull(serializer, "The serialization schema must be set.");
        Preconditions.checkArgument(
                deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE
                        || deliveryGuarantee == DeliveryGuarantee.AT_LEAST_ONCE,
                "The MaxCompute sink supports EXACTLY_ONCE and AT_LEAST_ONCE, not %s.",
                deliveryGuarantee);
        Preconditions.checkArgument(
                dynamicPartitionLimit > 0, "The dynamic partition limit must be positive.");
        Preconditions.checkArgument(
                maxBlockBytes > 0 && maxBlockRows > 0, "Block limits must be positive.");
        Preconditions.checkArgument(
                bufferMemory > 0, "The buffer memory must be positive, but is %s.", bufferMemory);
        Preconditions.checkArgument(
                flushInterval == null || deliveryGuarantee == DeliveryGuarantee.AT_LEAST_ONCE,
                "A flush interval only applies to AT_LEAST_ONCE; exactly-once commits at checkpoints.");
        Preconditions.checkArgument(
                !(upsert && overwrite),
                "Upserts change rows by key; they cannot overwrite partitions.");
        return new OdpsSink<>(
                connection,
                table,
                serializer,
                new OdpsWriterSettings(
                        deliveryGuarantee,
                        partition,
                        overwrite,
                        dynamicPartitionLimit,
                        maxBlockBytes,
                        maxBlockRows,
                        bufferMemory,
                        flushInterval,
                        compress,
                        upsert));
    }
}
