package org.flinkconnectors.base.testutils;

import org.flinkconnectors.base.sink.CommitMetrics;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.util.Collection;

/**
 * A job's {@link CommitMetrics} as a metric reporter sees them, summed over the committer subtasks
 * (the latest commit time over them). Read it after the job finished, from a reporter that retains
 * the metrics of finished jobs ({@link InMemoryReporter#createWithRetainedMetrics()}).
 */
public final class CommitMetricsReport {

    private final InMemoryReporter reporter;
    private final JobID job;

    private CommitMetricsReport(InMemoryReporter reporter, JobID job) {
        this.reporter = reporter;
        this.job = job;
    }

    public static CommitMetricsReport of(InMemoryReporter reporter, JobID job) {
        return new CommitMetricsReport(reporter, job);
    }

    /** A MiniCluster of one TaskManager with {@code slots} slots, reporting to {@code reporter}. */
    public static MiniClusterExtension miniCluster(InMemoryReporter reporter, int slots) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(slots)
                        .setConfiguration(reporter.addToConfiguration(new Configuration()))
                        .build());
    }

    public long commits() {
        return sum(CommitMetrics.COMMITS);
    }

    public long recordsCommitted() {
        return sum(CommitMetrics.RECORDS_COMMITTED);
    }

    public long bytesCommitted() {
        return sum(CommitMetrics.BYTES_COMMITTED);
    }

    /** The end of the latest commit in epoch milliseconds; -1 when no subtask committed. */
    public long lastCommitTime() {
        return metrics(CommitMetrics.LAST_COMMIT_TIME).stream()
                .mapToLong(m -> ((Number) ((Gauge<?>) m).getValue()).longValue())
                .max()
                .orElse(-1);
    }

    /** The sum of a counter of the job over every subtask that registered it. */
    public long sum(String counter) {
        return metrics(counter).stream().mapToLong(m -> ((Counter) m).getCount()).sum();
    }

    private Collection<Metric> metrics(String name) {
        return reporter.findMetrics(job, "\\." + name + "$").values();
    }
}
