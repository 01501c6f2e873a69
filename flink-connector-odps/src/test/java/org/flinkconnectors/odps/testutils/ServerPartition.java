package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.data.Record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One partition of a {@link ServerTable} (or the whole data of an unpartitioned table).
 *
 * <p>Rows are held as an immutable list of immutable chunks that each commit replaces, so a
 * download session keeps reading the snapshot it was opened on, as with MaxCompute.
 */
public final class ServerPartition {

    private final String spec;
    private final long createdAtMillis;
    private volatile List<List<Record>> chunks = Collections.emptyList();
    private volatile long lastModifiedMillis;

    ServerPartition(String spec) {
        this.spec = spec;
        this.createdAtMillis = System.currentTimeMillis();
        this.lastModifiedMillis = createdAtMillis;
    }

    /** The partition spec as MaxCompute prints it ({@code ds=1,hh=2}); empty if unpartitioned. */
    public String spec() {
        return spec;
    }

    long createdAtMillis() {
        return createdAtMillis;
    }

    long lastModifiedMillis() {
        return lastModifiedMillis;
    }

    /** The committed rows at this moment (a snapshot). */
    public Snapshot snapshot() {
        return new Snapshot(chunks);
    }

    public List<Record> rows() {
        return snapshot().rows(0, Long.MAX_VALUE);
    }

    public long rowCount() {
        return snapshot().rowCount();
    }

    synchronized void append(List<Record> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<List<Record>> next = new ArrayList<>(chunks.size() + 1);
        next.addAll(chunks);
        next.add(Collections.unmodifiableList(new ArrayList<>(rows)));
        chunks = Collections.unmodifiableList(next);
        lastModifiedMillis = System.currentTimeMillis();
    }

    synchronized void replace(List<Record> rows) {
        chunks =
                rows.isEmpty()
                        ? Collections.emptyList()
                        : List.of(Collections.unmodifiableList(new ArrayList<>(rows)));
        lastModifiedMillis = System.currentTimeMillis();
    }

    /**
     * Replaces the rows with what {@code change} makes of the current ones, atomically with respect
     * to other commits: an upsert commit rewrites rows by primary key this way.
     */
    synchronized void rewrite(UnaryOperator<List<Record>> change) {
        replace(change.apply(rows()));
    }

    /** An immutable view of the rows committed at one moment. */
    public static final class Snapshot {
        private final List<List<Record>> chunks;
        private final long rowCount;

        Snapshot(List<List<Record>> chunks) {
            this.chunks = chunks;
            long count = 0;
            for (List<Record> chunk : chunks) {
                count += chunk.size();
            }
            this.rowCount = count;
        }

        public long rowCount() {
            return rowCount;
        }

        /** Rows {@code [start, start + count)}, clipped to the snapshot. */
        public List<Record> rows(long start, long count) {
            List<Record> out = new ArrayList<>((int) Math.min(Math.max(count, 0), rowCount));
            long skip = start;
            long remaining = count;
            for (List<Record> chunk : chunks) {
                if (remaining <= 0) {
                    break;
                }
                if (skip >= chunk.size()) {
                    skip -= chunk.size();
                    continue;
                }
                int from = (int) skip;
                int to = (int) Math.min(chunk.size(), from + remaining);
                out.addAll(chunk.subList(from, to));
                remaining -= to - from;
                skip = 0;
            }
            return out;
        }
    }
}
