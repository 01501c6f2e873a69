package org.flinkconnectors.odps.source;

import org.apache.flink.annotation.Internal;

import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * A deserializer that also takes downloads in Arrow format: it turns a whole record batch into
 * elements at once, which lets it work column by column instead of record by record. A source set
 * to read Arrow requires its deserializer to be one.
 *
 * <p>Internal because Arrow's classes are relocated in the SQL jar; the SQL rows are its user.
 */
@Internal
public interface ArrowBatchDeserializer<OUT> extends OdpsRecordDeserializer<OUT> {

    /**
     * The elements of {@code batch}'s rows, in row order; a {@code null} element skips its row.
     * {@code batch} holds the data columns {@link #open} was told, in that order, and is released
     * right after this returns, so the elements must not point into it.
     *
     * @param partitionSpec the spec string of the batch's partition ("" if unpartitioned)
     */
    List<OUT> deserializeBatch(VectorSchemaRoot batch, String partitionSpec) throws Exception;
}
