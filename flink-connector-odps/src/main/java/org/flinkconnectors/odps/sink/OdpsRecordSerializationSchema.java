package org.flinkconnectors.odps.sink;

import org.apache.flink.annotation.PublicEvolving;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Turns a stream element into a MaxCompute record and names the partition it belongs to.
 *
 * @param <IN> the element type
 */
@PublicEvolving
public interface OdpsRecordSerializationSchema<IN> extends Serializable {

    /** Called once on the task with the table's schema before the first element. */
    default void open(TableSchema tableSchema) throws Exception {}

    /** Writes the element's data columns into {@code target} (a record of the table's columns). */
    void serialize(IN element, Record target) throws Exception;

    /**
     * The partition spec of the element ({@code ds=20261121,hh=08}) for dynamic partitioning, or
     * {@code null} to use the sink's static partition (or none, for an unpartitioned table).
     */
    @Nullable
    default String partitionOf(IN element) throws Exception {
        return null;
    }

    /**
     * For upsert sinks ({@link OdpsSinkBuilder#setUpsert}): whether the element upserts or deletes
     * the row of its key, or is skipped. Every element upserts unless this is overridden; see
     * {@link OdpsChangeKind#of} for Flink's {@code RowKind}. Insert-only sinks do not call it.
     */
    default OdpsChangeKind changeKindOf(IN element) throws Exception {
        return OdpsChangeKind.UPSERT;
    }
}
