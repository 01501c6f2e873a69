package org.flinkconnectors.odps.lookup;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Reads rows {@code [start, end)} of one download session as lookup rows. A download that breaks is
 * reopened at the first row not yet read, at most {@code maxResumes} times in all, so a resumed
 * range yields every row exactly once.
 */
@Internal
final class RowRangeReader implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RowRangeReader.class);

    private final LookupTableReader reader;
    private final TableTunnel.DownloadSession session;
    private final String spec;
    @Nullable private final PartitionSpec partition;
    private final long end;
    private final int maxResumes;

    private long nextRow;
    private int resumes;
    @Nullable private TunnelRecordReader stream;
    @Nullable private Record reuse;

    RowRangeReader(
            LookupTableReader reader,
            TableTunnel.DownloadSession session,
            String spec,
            long start,
            long end,
            int maxResumes) {
        this.reader = reader;
        this.session = session;
        this.spec = spec;
        this.partition = spec.isEmpty() ? null : new PartitionSpec(spec);
        this.nextRow = start;
        this.end = end;
        this.maxResumes = maxResumes;
    }

    /** The next row, or {@code null} after the last one. */
    @Nullable
    RowData next() throws IOException {
        while (nextRow < end) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("Interrupted while reading " + describe());
            }
            Record record;
            try {
                if (stream == null) {
                    stream = reader.openRows(session, nextRow, end - nextRow);
                }
                record = stream.read(reuse);
                if (record == null) {
                    throw new IOException(
                            String.format(
                                    "The download of %s ended at row %d, before the end %d.",
                                    describe(), nextRow, end));
                }
            } catch (IOException e) {
                closeQuietly(e);
                if (e instanceof InterruptedIOException) {
                    throw e;
                }
                if (resumes >= maxResumes) {
                    throw new IOException(
                            String.format(
                                    "Could not read %s at row %d (after %d resumes): %s",
                                    describe(), nextRow, resumes, e.getMessage()),
                            e);
                }
                resumes++;
                LOG.warn(
                        "Reading {} broke at row {} ({}); resuming there, retry {} of {}.",
                        describe(),
                        nextRow,
                        e.toString(),
                        resumes,
                        maxResumes);
                continue;
            }
            reuse = record;
            nextRow++;
            return reader.convert(record, partition);
        }
        closeStream();
        return null;
    }

    /** Rows read so far. */
    long position() {
        return nextRow;
    }

    private String describe() {
        return reader.describe(spec) + " (download session " + session.getId() + ")";
    }

    @Override
    public void close() throws IOException {
        closeStream();
    }

    private void closeQuietly(IOException failure) {
        try {
            closeStream();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            TunnelRecordReader closing = stream;
            stream = null;
            reuse = null;
            closing.close();
        }
    }
}
