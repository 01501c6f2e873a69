package org.flinkconnectors.base.sink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * What a sink's committer reports beside Flink's own committable counters ({@code
 * pendingCommittables}, {@code successfulCommittables}, {@code failedCommittables}, ...): the
 * commits it made in the external system, the records and bytes they made visible, and how long the
 * last one took and when it ended, so a stalled or slow commit shows on a dashboard.
 */
@Internal
public final class CommitMetrics {

    public static final String COMMITS = "numCommits";
    public static final String RECORDS_COMMITTED = "numRecordsCommitted";
    public static final String BYTES_COMMITTED = "numBytesCommitted";
    public static final String LAST_COMMIT_DURATION = "lastCommitDurationMs";
    public static final String LAST_COMMIT_TIME = "lastCommitTime";

    private final Counter commits;
    private final Counter records;
    private final Counter bytes;
    private volatile long lastDurationMillis = -1;
    private volatile long lastCommitMillis = -1;

    public CommitMetrics(MetricGroup group) {
        this.commits = group.counter(COMMITS);
        this.records = group.counter(RECORDS_COMMITTED);
        this.bytes = group.counter(BYTES_COMMITTED);
        group.gauge(LAST_COMMIT_DURATION, (Gauge<Long>) () -> lastDurationMillis);
        group.gauge(LAST_COMMIT_TIME, (Gauge<Long>) () -> lastCommitMillis);
    }

    /** Starts timing a commit. */
    public static long start() {
        return System.nanoTime();
    }

    /**
     * Counts a commit begun at {@code startNanos} that made {@code records} records of {@code
     * bytes} bytes visible; a count the sink does not know is passed as 0.
     */
    public void committed(long startNanos, long records, long bytes) {
        lastDurationMillis = (System.nanoTime() - startNanos) / 1_000_000;
        lastCommitMillis = System.currentTimeMillis();
        commits.inc();
        this.records.inc(records);
        this.bytes.inc(bytes);
    }
}
