package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.client.OdpsTableClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.java.functions.KeySelector;

import javax.annotation.Nullable;

/**
 * Keys an element by the partition it is written to ({@code ""} for an unpartitioned table), so
 * that an overwrite sends each partition to exactly one writer and thus one upload session.
 */
@Internal
final class PartitionKeySelector<IN> implements KeySelector<IN, String> {

    private static final long serialVersionUID = 1L;

    private final OdpsConnectionConfig connection;
    private final String table;
    private final OdpsRecordSerializationSchema<IN> serializer;
    @Nullable private final String staticPartition;
    private transient boolean opened;

    PartitionKeySelector(
            OdpsConnectionConfig connection,
            String table,
            OdpsRecordSerializationSchema<IN> serializer,
            @Nullable String staticPartition) {
        this.connection = connection;
        this.table = table;
        this.serializer = serializer;
        this.staticPartition = staticPartition;
    }

    @Override
    public String getKey(IN element) throws Exception {
        if (!opened) {
            // This selector's own copy of the schema: it runs before the writer, on other tasks.
            serializer.open(new OdpsTableClient(connection, table).schema());
            opened = true;
        }
        String partition = serializer.partitionOf(element);
        if (partition != null) {
            return partition;
        }
        return staticPartition == null ? "" : staticPartition;
    }
}
