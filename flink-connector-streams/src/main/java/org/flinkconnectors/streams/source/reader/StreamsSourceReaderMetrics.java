package org.flinkconnectors.streams.source.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.runtime.metrics.MetricNames;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reader's metrics: FLIP-33 {@code numBytesIn}, {@code numRecordsIn} (with Flink's reader base)
 * and {@code pendingRecords} (the summed lag), per partition {@code currentOffset}, {@code
 * committedOffset} and {@code lag} under {@code StreamsSourceReader.topic.<t>.partition.<p>}, and
 * the {@code commitsSucceeded} / {@code commitsFailed} counters.
 *
 * <p>Values are written by the task thread (offsets), the fetcher thread (lag, commit results) and
 * read by metric reporters, hence the concurrent map, volatile fields and thread-safe counters.
 */
@Internal
public final class StreamsSourceReaderMetrics {

    public static final String GROUP = "StreamsSourceReader";
    public static final String TOPIC_GROUP = "topic";
    public static final String PARTITION_GROUP = "partition";
    public static final String CURRENT_OFFSET = "currentOffset";
    public static final String COMMITTED_OFFSET = "committedOffset";
    public static final String LAG = "lag";
    public static final String COMMITS_SUCCEEDED = "commitsSucceeded";
    public static final String COMMITS_FAILED = "commitsFailed";

    /** Reported while an offset or lag is not known yet. */
    public static final long UNKNOWN = -1L;

    private final MetricGroup readerGroup;
    private final Counter numBytesIn;
    private final Counter numRecordsIn;
    private final Counter commitsSucceeded;
    private final Counter commitsFailed;
    private final Map<TopicPartition, PartitionMetrics> partitions = new ConcurrentHashMap<>();
    private volatile long fetchEventTimeLag = UNKNOWN;
    // Task-thread cache for recordEmitted().
    private TopicPartition lastPartition;
    private PartitionMetrics lastMetrics;

    public StreamsSourceReaderMetrics(SourceReaderMetricGroup metricGroup) {
        this.readerGroup = metricGroup.addGroup(GROUP);
        this.numBytesIn = metricGroup.getIOMetricGroup().getNumBytesInCounter();
        this.numRecordsIn = metricGroup.getIOMetricGroup().getNumRecordsInCounter();
        this.commitsSucceeded =
                readerGroup.counter(COMMITS_SUCCEEDED, new ThreadSafeSimpleCounter());
        this.commitsFailed = readerGroup.counter(COMMITS_FAILED, new ThreadSafeSimpleCounter());
        metricGroup.setPendingRecordsGauge(this::pendingRecords);
        metricGroup.gauge(MetricNames.CURRENT_FETCH_EVENT_TIME_LAG, () -> fetchEventTimeLag);
    }

    /**
     * A poll returned records; {@code latestTimestamp} is the newest record timestamp among them.
     * Feeds FLIP-33's {@code currentFetchEventTimeLag}: how far behind event time the fetcher is.
     */
    void recordFetched(long fetchTimeMillis, long latestTimestamp) {
        if (latestTimestamp >= 0) {
            fetchEventTimeLag = fetchTimeMillis - latestTimestamp;
        }
    }

    /** Registers the gauges of {@code tp} once, however often the partition is (re)assigned. */
    public void registerPartition(TopicPartition tp) {
        partitions.computeIfAbsent(
                tp,
                key -> {
                    PartitionMetrics metrics = new PartitionMetrics();
                    MetricGroup group =
                            readerGroup
                                    .addGroup(TOPIC_GROUP, key.topic())
                                    .addGroup(PARTITION_GROUP, String.valueOf(key.partition()));
                    group.gauge(CURRENT_OFFSET, metrics.currentOffset::get);
                    group.gauge(COMMITTED_OFFSET, () -> metrics.committedOffset);
                    group.gauge(LAG, () -> metrics.lag);
                    return metrics;
                });
    }

    /**
     * A run of {@code records} records of {@code bytes} bytes in all was emitted; {@code
     * nextOffset} is the next to read. Called for every run on the task thread, so it avoids the
     * map lookup for runs of the same partition and publishes the offset with a plain (release)
     * store.
     *
     * <p>Flink's reader base counts one {@code numRecordsIn} per element it hands to the emitter,
     * and an element is a run here: this counts the rest of the run.
     */
    void recordsEmitted(TopicPartition tp, long nextOffset, int records, long bytes) {
        numBytesIn.inc(bytes);
        if (records > 1) {
            numRecordsIn.inc(records - 1);
        }
        PartitionMetrics metrics = lastMetrics;
        if (tp != lastPartition) {
            metrics = partitions.get(tp);
            lastPartition = tp;
            lastMetrics = metrics;
        }
        if (metrics != null) {
            metrics.currentOffset.lazySet(nextOffset);
        }
    }

    /** The consumer's latest view of how many records of {@code tp} are not yet fetched. */
    void recordLag(TopicPartition tp, long lag) {
        PartitionMetrics metrics = partitions.get(tp);
        if (metrics != null) {
            metrics.lag = lag;
        }
    }

    void recordCommitSucceeded(Map<TopicPartition, Long> offsets) {
        commitsSucceeded.inc();
        offsets.forEach(
                (tp, offset) -> {
                    PartitionMetrics metrics = partitions.get(tp);
                    if (metrics != null) {
                        metrics.committedOffset = offset;
                    }
                });
    }

    void recordCommitFailed() {
        commitsFailed.inc();
    }

    /** The partition stopped being read here (finished); its lag no longer counts as pending. */
    void partitionFinished(TopicPartition tp) {
        PartitionMetrics metrics = partitions.get(tp);
        if (metrics != null) {
            metrics.lag = 0;
        }
    }

    private Long pendingRecords() {
        long sum = 0;
        boolean known = false;
        for (PartitionMetrics metrics : partitions.values()) {
            if (metrics.lag >= 0) {
                sum += metrics.lag;
                known = true;
            }
        }
        return known ? sum : null;
    }

    private static final class PartitionMetrics {
        final AtomicLong currentOffset = new AtomicLong(UNKNOWN);
        volatile long committedOffset = UNKNOWN;
        volatile long lag = UNKNOWN;
    }
}
