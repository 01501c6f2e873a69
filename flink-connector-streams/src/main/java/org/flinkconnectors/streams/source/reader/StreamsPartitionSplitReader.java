package org.flinkconnectors.streams.source.reader;

import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads all splits of one source reader with a single {@link KafkaConsumer} in manual-assignment
 * mode ({@code assign()}, no group membership, no rebalances): Flink, not Kafka, decides which
 * reader reads which partition.
 *
 * <p>A split with a stopping offset finishes as soon as the consumer's position reaches it, which
 * also covers logs whose last offsets hold no data records (transaction markers, compaction); a
 * split that starts at or after its stopping offset finishes without being read. Only the fetcher
 * thread touches the consumer; {@link #wakeUp()} interrupts a blocking poll from other threads.
 */
@Internal
public final class StreamsPartitionSplitReader
        implements SplitReader<StreamsRecordBatch, StreamsPartitionSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsPartitionSplitReader.class);

    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration COMMIT_FLUSH_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final StreamsSourceReaderMetrics metrics;
    private final Map<TopicPartition, Long> stoppingOffsets = new HashMap<>();
    private final Set<String> finishedWithoutReading = new HashSet<>();

    private final ReadLimit limit;

    public StreamsPartitionSplitReader(
            Properties consumerProperties, StreamsSourceReaderMetrics metrics) {
        this(consumerProperties, metrics, ReadLimit.none());
    }

    public StreamsPartitionSplitReader(
            Properties consumerProperties, StreamsSourceReaderMetrics metrics, ReadLimit limit) {
        this.consumer = new KafkaConsumer<>(consumerProperties);
        this.metrics = metrics;
        this.limit = limit;
    }

    @Override
    public RecordsWithSplitIds<StreamsRecordBatch> fetch() {
        Set<String> finishedSplits = new HashSet<>(finishedWithoutReading);
        finishedWithoutReading.clear();
        if (consumer.assignment().isEmpty()) {
            return StreamsPartitionRecords.finishedOnly(finishedSplits);
        }
        if (limit.reached()) {
            // A pushed-down LIMIT is satisfied: end every split instead of reading on.
            finish(new ArrayList<>(consumer.assignment()), finishedSplits);
            return StreamsPartitionRecords.finishedOnly(finishedSplits);
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            // The fetcher wants the thread for a task (new splits, a commit); come back later.
            return StreamsPartitionRecords.finishedOnly(finishedSplits);
        }
        recordFetchLag(records);
        // The records keep the stopping offsets they were fetched against, even if a split
        // finishes below and its entry is removed.
        Map<TopicPartition, Long> stops =
                stoppingOffsets.isEmpty() ? Map.of() : new HashMap<>(stoppingOffsets);
        List<TopicPartition> finished = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> entry : stoppingOffsets.entrySet()) {
            TopicPartition tp = entry.getKey();
            List<ConsumerRecord<byte[], byte[]>> fetched = records.records(tp);
            boolean pastStop =
                    !fetched.isEmpty()
                            && fetched.get(fetched.size() - 1).offset() >= entry.getValue() - 1;
            if (pastStop || positionOrMinusOne(tp) >= entry.getValue()) {
                finished.add(tp);
            }
        }
        if (!finished.isEmpty()) {
            finish(finished, finishedSplits);
        }
        updateLag();
        return new StreamsPartitionRecords(records, stops, finishedSplits);
    }

    @Override
    public void handleSplitsChanges(SplitsChange<StreamsPartitionSplit> splitsChange) {
        if (!(splitsChange instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported split change " + splitsChange.getClass().getSimpleName());
        }
        List<StreamsPartitionSplit> toRead = new ArrayList<>();
        for (StreamsPartitionSplit split : splitsChange.splits()) {
            Long stop = split.getStoppingOffset().orElse(null);
            if (stop != null && split.getStartingOffset() >= stop) {
                LOG.info("{} is empty; finishing it without reading.", split);
                finishedWithoutReading.add(split.splitId());
                metrics.partitionFinished(split.getTopicPartition());
            } else {
                toRead.add(split);
                if (stop != null) {
                    stoppingOffsets.put(split.getTopicPartition(), stop);
                }
            }
        }
        if (toRead.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
        toRead.forEach(split -> assignment.add(split.getTopicPartition()));
        consumer.assign(assignment);
        for (StreamsPartitionSplit split : toRead) {
            consumer.seek(split.getTopicPartition(), split.getStartingOffset());
        }
        LOG.info("Reading {}", toRead);
    }

    @Override
    public void pauseOrResumeSplits(
            Collection<StreamsPartitionSplit> toPause, Collection<StreamsPartitionSplit> toResume) {
        List<TopicPartition> pause = new ArrayList<>();
        toPause.forEach(s -> pause.add(s.getTopicPartition()));
        List<TopicPartition> resume = new ArrayList<>();
        toResume.forEach(s -> resume.add(s.getTopicPartition()));
        pause.retainAll(consumer.assignment());
        resume.retainAll(consumer.assignment());
        consumer.pause(pause);
        consumer.resume(resume);
    }

    /**
     * Commits {@code offsets} asynchronously. Callbacks only run inside later consumer calls; a
     * consumer that reads nothing will not poll again, so then this waits (bounded) for the result.
     */
    void commitOffsets(
            Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        retryOnWakeup(
                () -> {
                    consumer.commitAsync(offsets, callback);
                    return null;
                });
        if (consumer.assignment().isEmpty()) {
            try {
                retryOnWakeup(
                        () -> {
                            consumer.commitSync(Map.of(), COMMIT_FLUSH_TIMEOUT);
                            return null;
                        });
            } catch (RuntimeException e) {
                // The callback of the async commit above reports the failure.
                LOG.debug("Waiting for the offset commit failed", e);
            }
        }
    }

    @Override
    public void wakeUp() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    private void finish(List<TopicPartition> finished, Set<String> finishedSplits) {
        Set<TopicPartition> remaining = new HashSet<>(consumer.assignment());
        for (TopicPartition tp : finished) {
            LOG.info("Partition {} reached its stopping offset {}.", tp, stoppingOffsets.get(tp));
            stoppingOffsets.remove(tp);
            remaining.remove(tp);
            finishedSplits.add(StreamsPartitionSplit.splitIdOf(tp));
            metrics.partitionFinished(tp);
        }
        consumer.assign(remaining);
    }

    private long positionOrMinusOne(TopicPartition tp) {
        try {
            return consumer.position(tp, POLL_TIMEOUT);
        } catch (WakeupException e) {
            return -1;
        } catch (RuntimeException e) {
            LOG.debug("Could not get the position of {}; checking again later.", tp, e);
            return -1;
        }
    }

    private void recordFetchLag(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        long latest = -1;
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> fetched = records.records(tp);
            latest = Math.max(latest, fetched.get(fetched.size() - 1).timestamp());
        }
        metrics.recordFetched(System.currentTimeMillis(), latest);
    }

    private void updateLag() {
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                metrics.recordLag(tp, lag.getAsLong());
            }
        }
    }

    /** A wake-up meant for an earlier poll may still be pending; it must not lose a commit. */
    private static <T> T retryOnWakeup(Supplier<T> action) {
        try {
            return action.get();
        } catch (WakeupException e) {
            return action.get();
        }
    }
}
