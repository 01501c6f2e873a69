package org.flinkconnectors.odps.source;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;

import java.io.Serializable;
import java.util.List;

/**
 * Turns the {@link Record}s a MaxCompute download delivers into the source's output elements.
 *
 * <p>Every source reader (parallel subtask) has its own instance; it is opened with {@link #open}
 * and then called by one of that reader's fetcher threads at a time, so it needs no
 * synchronization. Deserialization runs in the fetcher thread, not the task thread, so it overlaps
 * with the downstream operators. The {@link Record} passed to {@link #deserialize} is reused for
 * the next row: copy what you keep (the values it returns are fresh objects and may be kept).
 * Returning {@code null} skips the row.
 *
 * @param <OUT> the type of the produced elements
 */
@PublicEvolving
public interface OdpsRecordDeserializer<OUT> extends Serializable, ResultTypeQueryable<OUT> {

    /**
     * Called once per reader before the first record.
     *
     * @param tableSchema the table's schema, data and partition columns
     * @param readColumns the data columns every record holds, in record order (the projection, or
     *     all data columns of the table)
     */
    default void open(TableSchema tableSchema, List<String> readColumns) throws Exception {}

    /** partitionSpec is the spec string of the record's partition ("" if unpartitioned). */
    OUT deserialize(Record record, String partitionSpec) throws Exception;
}
