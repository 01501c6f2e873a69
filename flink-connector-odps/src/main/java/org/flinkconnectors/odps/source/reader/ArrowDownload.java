package org.flinkconnectors.odps.source.reader;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.source.ArrowBatchDeserializer;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.Column;
import com.aliyun.odps.data.ArrowRecordReader;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.List;

/**
 * A split's download as Arrow record batches. Each batch is deserialized as a whole, column by
 * column, and released at once; its elements are then handed out one by one, so positions, limits
 * and wake-ups work per row exactly as with records.
 *
 * <p>Unlike the SDK's record reader, its Arrow reader does not reconnect when the stream breaks, so
 * this does: it reopens the download at the first row of the batch it failed to read, a bounded
 * number of times in a row. The download owns its allocator: every batch is released before the
 * next is read, so nothing stays allocated between fetches.
 */
@Internal
final class ArrowDownload<OUT> implements SplitDownload<OUT> {

    private static final Logger LOG = LoggerFactory.getLogger(ArrowDownload.class);

    /** Asked for as record downloads ask for it ({@code openRecordReader(.., true, ..)}). */
    private static final CompressOption COMPRESSION =
            new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, 1, 0);

    /** Reopens after this many broken reads without a batch in between fail the download. */
    static final int MAX_REOPENS = 3;

    /** Opens the reader of rows {@code [from, end of the download)}. */
    @FunctionalInterface
    interface Opener {
        ArrowRecordReader open(long from) throws IOException;
    }

    private final Opener opener;
    private final BufferAllocator allocator;
    private final ArrowBatchDeserializer<OUT> deserializer;
    private final String partitionSpec;
    private final long endRow;
    private final String description;
    private ArrowRecordReader reader;
    private long bytesOfClosedReaders;
    private long batchStartRow;
    @Nullable private List<OUT> batch;
    private int index;
    @Nullable private OUT value;

    ArrowDownload(
            Opener opener,
            BufferAllocator allocator,
            ArrowBatchDeserializer<OUT> deserializer,
            String partitionSpec,
            long from,
            long count,
            String description)
            throws IOException {
        this.opener = opener;
        this.allocator = allocator;
        this.deserializer = deserializer;
        this.partitionSpec = partitionSpec;
        this.batchStartRow = from;
        this.endRow = from + count;
        this.description = description;
        this.reader = opener.open(from);
    }

    /**
     * Opens the download of rows {@code [from, from + count)} of {@code session} as Arrow batches.
     *
     * @param columns the data columns to download, or {@code null} for all
     */
    static <OUT> ArrowDownload<OUT> open(
            OdpsTableClient client,
            TableTunnel.DownloadSession session,
            @Nullable List<Column> columns,
            ArrowBatchDeserializer<OUT> deserializer,
            String partitionSpec,
            long from,
            long count)
            throws IOException {
        BufferAllocator allocator = new RootAllocator();
        long end = from + count;
        Opener opener =
                start ->
                        client.call(
                                TableReadContext.downloadDescription(session, start, end - start),
                                () ->
                                        session.openArrowRecordReader(
                                                start,
                                                end - start,
                                                columns,
                                                allocator,
                                                COMPRESSION));
        try {
            return new ArrowDownload<>(
                    opener,
                    allocator,
                    deserializer,
                    partitionSpec,
                    from,
                    count,
                    client.describe(partitionSpec));
        } catch (IOException | RuntimeException e) {
            allocator.close();
            throw e;
        }
    }

    @Override
    public boolean next() throws IOException {
        while (batch == null || index >= batch.size()) {
            if (batch != null) {
                batchStartRow += batch.size();
                batch = null;
            }
            if (batchStartRow >= endRow) {
                return false;
            }
            try (VectorSchemaRoot root = readBatch()) {
                batch = deserialize(root);
            }
            index = 0;
        }
        value = batch.get(index++);
        return true;
    }

    private VectorSchemaRoot readBatch() throws IOException {
        for (int reopens = 0; ; reopens++) {
            IOException failure;
            try {
                VectorSchemaRoot root = reader.read();
                if (root != null) {
                    return root;
                }
                failure = new IOException("The stream ended early.");
            } catch (IOException e) {
                failure = e;
            }
            if (reopens >= MAX_REOPENS) {
                throw new IOException(
                        String.format(
                                "The Arrow download of %s broke at row %d %d times in a row: %s",
                                description, batchStartRow, reopens + 1, failure.getMessage()),
                        failure);
            }
            LOG.warn(
                    "The Arrow download of {} broke at row {}; reopening it there.",
                    description,
                    batchStartRow,
                    failure);
            closeReader();
            reader = opener.open(batchStartRow);
        }
    }

    private List<OUT> deserialize(VectorSchemaRoot root) throws IOException {
        try {
            return deserializer.deserializeBatch(root, partitionSpec);
        } catch (Exception e) {
            throw new IOException(
                    String.format(
                            "Failed to deserialize the Arrow batch of rows [%d,%d) of %s: %s",
                            batchStartRow,
                            batchStartRow + root.getRowCount(),
                            description,
                            e.getMessage()),
                    e);
        }
    }

    @Nullable
    @Override
    public OUT value() {
        return value;
    }

    @Override
    public long bytesRead() {
        return bytesOfClosedReaders + reader.bytesRead();
    }

    private void closeReader() {
        bytesOfClosedReaders += reader.bytesRead();
        try {
            reader.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the broken Arrow download of {} failed.", description, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            allocator.close();
        }
    }
}
