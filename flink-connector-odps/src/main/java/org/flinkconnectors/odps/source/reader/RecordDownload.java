package org.flinkconnectors.odps.source.reader;

import org.flinkconnectors.odps.source.OdpsRecordDeserializer;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * A split's download as tunnel records. Every record is deserialized before the next is read, so
 * the SDK's {@link Record} is reused ({@code read(reuse)}); the SDK's reader reconnects at the
 * current row if the stream breaks.
 */
@Internal
final class RecordDownload<OUT> implements SplitDownload<OUT> {

    private final TunnelRecordReader reader;
    private final OdpsRecordDeserializer<OUT> deserializer;
    private final String partitionSpec;
    private final String description;
    private long nextRow;
    @Nullable private Record reuse;
    @Nullable private OUT value;

    /**
     * @param fromRow the absolute number of the first row the reader delivers, for messages
     * @param description the partition or table read, for messages
     */
    RecordDownload(
            TunnelRecordReader reader,
            OdpsRecordDeserializer<OUT> deserializer,
            String partitionSpec,
            long fromRow,
            String description) {
        this.reader = reader;
        this.deserializer = deserializer;
        this.partitionSpec = partitionSpec;
        this.nextRow = fromRow;
        this.description = description;
    }

    @Override
    public boolean next() throws IOException {
        Record record = reader.read(reuse);
        if (record == null) {
            return false;
        }
        reuse = record;
        nextRow++;
        try {
            value = deserializer.deserialize(record, partitionSpec);
        } catch (Exception e) {
            throw new IOException(
                    String.format(
                            "Failed to deserialize row %d of %s: %s",
                            nextRow - 1, description, e.getMessage()),
                    e);
        }
        return true;
    }

    @Nullable
    @Override
    public OUT value() {
        return value;
    }

    @Override
    public long bytesRead() {
        return reader.getTotalBytes();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
