package org.flinkconnectors.streams.source.reader;

import org.flinkconnectors.streams.source.split.StreamsPartitionSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.fetcher.SingleThreadFetcherManager;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherTask;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The single fetcher thread of a reader, extended with offset commits: a {@code KafkaConsumer} is
 * not thread-safe, so commits run as a task in the fetcher thread that owns the consumer. When no
 * fetcher runs (every split finished), a fresh one is started just for the commit.
 */
@Internal
public final class StreamsSourceFetcherManager
        extends SingleThreadFetcherManager<StreamsRecordBatch, StreamsPartitionSplit> {

    public StreamsSourceFetcherManager(
            Supplier<SplitReader<StreamsRecordBatch, StreamsPartitionSplit>> splitReaderSupplier,
            Configuration configuration) {
        super(splitReaderSupplier, configuration);
    }

    /** Commits {@code offsets} from the fetcher thread; {@code callback} runs there too. */
    public void commitOffsets(
            Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        if (offsets.isEmpty()) {
            return;
        }
        SplitFetcher<StreamsRecordBatch, StreamsPartitionSplit> fetcher = getRunningFetcher();
        boolean started = fetcher != null;
        if (!started) {
            fetcher = createSplitFetcher();
        }
        StreamsPartitionSplitReader reader = (StreamsPartitionSplitReader) fetcher.getSplitReader();
        fetcher.enqueueTask(
                new SplitFetcherTask() {
                    @Override
                    public boolean run() {
                        reader.commitOffsets(offsets, callback);
                        return true;
                    }

                    @Override
                    public void wakeUp() {
                        // The commit does not block for long; nothing to interrupt.
                    }
                });
        if (!started) {
            startFetcher(fetcher);
        }
    }
}
