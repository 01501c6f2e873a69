package org.flinkconnectors.odps.source.reader;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.Closeable;
import java.io.IOException;

/**
 * The rows of one split's download, from the row it was opened at, deserialized and handed out one
 * at a time whatever the wire format: {@link RecordDownload} for tunnel records, {@link
 * ArrowDownload} for Arrow record batches.
 */
@Internal
interface SplitDownload<OUT> extends Closeable {

    /** Moves to the next row; false if the download ended. */
    boolean next() throws IOException;

    /** The element of the current row, or {@code null} if the deserializer skipped it. */
    @Nullable
    OUT value();

    /** Bytes received so far. */
    long bytesRead();
}
