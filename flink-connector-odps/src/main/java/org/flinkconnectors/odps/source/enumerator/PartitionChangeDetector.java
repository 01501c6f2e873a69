package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.odps.client.OdpsTableClient;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tells rows appended to a partition from contents that were replaced. MaxCompute's partition
 * metadata cannot: an append and an {@code INSERT OVERWRITE} with more rows both raise the record
 * count and the last data modification time, and a merge of small files changes neither the count
 * nor the rows, only possibly their order. So a new download session is compared with what was
 * planned before: fewer rows than planned, or a first or last planned row (all columns) that is no
 * longer the same row at the same position, means the contents changed; otherwise the rows past the
 * planned ones are an append. Costs up to three one-row downloads per partition looked at.
 *
 * <p>The check is exact for what was planned at its ends and sampled in between: a rewrite that
 * keeps the first and the last planned row in place and only changes rows between them is taken for
 * an append of the rows after them.
 */
@Internal
final class PartitionChangeDetector {

    private final OdpsTableClient client;

    PartitionChangeDetector(OdpsTableClient client) {
        this.client = client;
    }

    /** The outcome of one look: what is known after it, and what changed, if anything. */
    static final class Verdict {
        final PartitionProgress progress;
        @Nullable final String change;

        private Verdict(PartitionProgress progress, @Nullable String change) {
            this.progress = progress;
            this.change = change;
        }
    }

    /**
     * Compares the session's rows with {@code known} (null for a partition new to the source).
     *
     * @param modifiedMillis the partition's modification time as just listed
     */
    Verdict inspect(
            @Nullable PartitionProgress known,
            TableTunnel.DownloadSession session,
            long modifiedMillis)
            throws IOException {
        long count = session.getRecordCount();
        if (known == null || known.getPlannedRows() == 0) {
            return new Verdict(fresh(session, count, modifiedMillis), null);
        }
        long planned = known.getPlannedRows();
        if (count < planned) {
            return new Verdict(
                    fresh(session, count, modifiedMillis),
                    String.format(
                            "it has %d rows now, fewer than the %d already read (overwritten,"
                                    + " truncated or rows deleted)",
                            count, planned));
        }
        long first = hash(session, 0);
        long last = planned == 1 ? first : hash(session, planned - 1);
        if (known.isFingerprinted()
                && (first != known.getFirstRowHash() || last != known.getLastRowHash())) {
            return new Verdict(
                    fresh(session, count, modifiedMillis),
                    String.format(
                            "it has %d rows now (%d were read), but %s no longer the same as when"
                                    + " it was read (overwritten, merged or rewritten)",
                            count,
                            planned,
                            first != known.getFirstRowHash()
                                    ? "row 0 is"
                                    : "row " + (planned - 1) + ", the last one read, is"));
        }
        long newLast = count == planned ? last : hash(session, count - 1);
        return new Verdict(new PartitionProgress(count, modifiedMillis, first, newLast), null);
    }

    private PartitionProgress fresh(
            TableTunnel.DownloadSession session, long count, long modifiedMillis)
            throws IOException {
        if (count == 0) {
            return new PartitionProgress(0, modifiedMillis);
        }
        long first = hash(session, 0);
        long last = count == 1 ? first : hash(session, count - 1);
        return new PartitionProgress(count, modifiedMillis, first, last);
    }

    /** A 64-bit FNV-1a hash over every column of row {@code index} of the session. */
    private long hash(TableTunnel.DownloadSession session, long index) throws IOException {
        Record record =
                client.call(
                        "read row " + index + " of download session " + session.getId(),
                        () -> {
                            try (TunnelRecordReader reader =
                                    session.openRecordReader(index, 1, true)) {
                                return reader.read();
                            }
                        });
        if (record == null) {
            throw new IOException(
                    "Download session "
                            + session.getId()
                            + " returned no row "
                            + index
                            + " although it has "
                            + session.getRecordCount()
                            + " rows.");
        }
        long hash = 0xcbf29ce484222325L;
        for (Object value : record.toArray()) {
            String text =
                    value == null
                            ? "\u0000null"
                            : value instanceof byte[]
                                    ? Arrays.toString((byte[]) value)
                                    : value.getClass().getName() + ':' + value;
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= 0x100000001b3L;
            }
            hash ^= 0xff; // column separator
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
