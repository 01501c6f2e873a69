package org.flinkconnectors.odps.sink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.DeliveryGuarantee;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;

/** The immutable, validated settings of an {@link OdpsSink}'s writers. */
@Internal
public final class OdpsWriterSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    final DeliveryGuarantee deliveryGuarantee;
    @Nullable final String staticPartition;
    final boolean overwrite;
    final int dynamicPartitionLimit;
    final long maxBlockBytes;
    final long maxBlockRows;
    final long bufferMemory;
    @Nullable final Duration flushInterval;
    final boolean compress;
    final boolean upsert;

    OdpsWriterSettings(
            DeliveryGuarantee deliveryGuarantee,
            @Nullable String staticPartition,
            boolean overwrite,
            int dynamicPartitionLimit,
            long maxBlockBytes,
            long maxBlockRows,
            long bufferMemory,
            @Nullable Duration flushInterval,
            boolean compress,
            boolean upsert) {
        this.deliveryGuarantee = deliveryGuarantee;
        this.staticPartition = staticPartition;
        this.overwrite = overwrite;
        this.dynamicPartitionLimit = dynamicPartitionLimit;
        this.maxBlockBytes = maxBlockBytes;
        this.maxBlockRows = maxBlockRows;
        this.bufferMemory = bufferMemory;
        this.flushInterval = flushInterval;
        this.compress = compress;
        this.upsert = upsert;
    }

    @Override
    public String toString() {
        return "OdpsWriterSettings{"
                + deliveryGuarantee
                + (staticPartition == null ? "" : ", partition=" + staticPartition)
                + (overwrite ? ", overwrite" : "")
                + (upsert ? ", upsert" : "")
                + ", dynamicPartitionLimit="
                + dynamicPartitionLimit
                + ", block="
                + maxBlockBytes
                + "B/"
                + maxBlockRows
                + " rows, bufferMemory="
                + bufferMemory
                + "B"
                + (flushInterval == null ? "" : ", flushInterval=" + flushInterval)
                + "}";
    }
}
