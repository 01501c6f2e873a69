package org.flinkconnectors.odps.sink;

import org.flinkconnectors.base.sink.BufferBudget;
import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.client.UpsertNetwork;
import org.flinkconnectors.odps.sink.internal.PartitionUpload;
import org.flinkconnectors.odps.sink.internal.PartitionUpsert;
import org.flinkconnectors.odps.sink.internal.PartitionWrite;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes elements into tunnel sessions, one per partition and checkpoint: upload sessions that
 * append, or, for upsert sinks, upsert sessions that upsert and delete rows by primary key. With
 * exactly-once the sessions are handed to the committer at each checkpoint and committed after it
 * completes; with at-least-once the writer commits them itself at each checkpoint (and every flush
 * interval), which makes rows visible sooner but may repeat them after a failover.
 *
 * <p>All sessions' buffers share one memory budget ({@link OdpsSinkBuilder#setBufferMemory}): when
 * they hold more, the largest is sent as a block at once, so a writer that sees many partitions
 * does not hold a block's worth of rows for each.
 */
@Internal
class OdpsWriter<IN> implements CommittingSinkWriter<IN, OdpsCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(OdpsWriter.class);

    private final OdpsConnectionConfig connection;
    private final OdpsTableClient client;
    private final OdpsRecordSerializationSchema<IN> serializer;
    private final OdpsWriterSettings settings;
    private final Map<String, PartitionWrite> uploads = new LinkedHashMap<>();
    private final Set<String> knownPartitions = new HashSet<>();
    private final BufferBudget<String> budget;
    private final Counter numRecordsSend;
    private final Counter numBytesSend;
    private final ProcessingTimeService timeService;

    /** With overwrite, the one partition this writer must replace even when no row arrives. */
    @Nullable private final String emptyOverwriteTarget;

    private volatile Exception asyncFlushError;
    @Nullable private final UpsertNetwork upsertNetwork;

    OdpsWriter(
            WriterInitContext context,
            OdpsConnectionConfig connection,
            String table,
            OdpsRecordSerializationSchema<IN> serializer,
            OdpsWriterSettings settings)
            throws Exception {
        this.connection = connection;
        this.client = new OdpsTableClient(connection, table);
        this.serializer = serializer;
        this.settings = settings;
        // Flink counts the committables the writer emits in the operator's numRecordsOut; the
        // records sent to MaxCompute go to the sink metrics numRecordsSend and numBytesSend.
        this.numRecordsSend = context.metricGroup().getNumRecordsSendCounter();
        this.numBytesSend = context.metricGroup().getNumBytesSendCounter();
        this.timeService = context.getProcessingTimeService();
        this.budget = new BufferBudget<>(settings.bufferMemory);
        TableSchema schema = client.schema();
        serializer.open(schema);
        this.emptyOverwriteTarget = emptyOverwriteTarget(context, settings, schema);
        if (settings.upsert) {
            List<String> primaryKey = client.primaryKey();
            if (primaryKey.isEmpty()) {
                throw new IOException(
                        "Table "
                                + client.tablePath()
                                + " has no primary key; upserts need a transactional table with a"
                                + " PRIMARY KEY.");
            }
            LOG.info("Upserting into {} by primary key {}", client.tablePath(), primaryKey);
            upsertNetwork = new UpsertNetwork();
        } else {
            upsertNetwork = null;
        }
        if (settings.deliveryGuarantee != DeliveryGuarantee.EXACTLY_ONCE
                && settings.flushInterval != null) {
            scheduleFlush();
        }
    }

    /**
     * An overwrite of a static partition (or of an unpartitioned table) must empty it even when the
     * input is empty: the writer that would receive its rows, by the overwrite's keying, commits an
     * empty session for it.
     */
    @Nullable
    private static String emptyOverwriteTarget(
            WriterInitContext context, OdpsWriterSettings settings, TableSchema schema) {
        if (!settings.overwrite
                || (settings.staticPartition == null && !schema.getPartitionColumns().isEmpty())) {
            return null;
        }
        String target = settings.staticPartition == null ? "" : settings.staticPartition;
        int owner =
                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                        target,
                        context.getTaskInfo().getMaxNumberOfParallelSubtasks(),
                        context.getTaskInfo().getNumberOfParallelSubtasks());
        return owner == context.getTaskInfo().getIndexOfThisSubtask() ? target : null;
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
        if (asyncFlushError != null) {
            throw new IOException("A timed flush failed", asyncFlushError);
        }
        OdpsChangeKind change;
        String partition;
        try {
            change = settings.upsert ? serializer.changeKindOf(element) : OdpsChangeKind.UPSERT;
            if (change == OdpsChangeKind.IGNORE) {
                return;
            }
            partition = serializer.partitionOf(element);
        } catch (Exception e) {
            throw new IOException("Could not derive the change or partition of " + element, e);
        }
        if (partition == null) {
            partition = settings.staticPartition == null ? "" : settings.staticPartition;
        }
        PartitionWrite upload = uploads.get(partition);
        if (upload == null) {
            upload = open(partition);
        }
        Record record = upload.clearedRecord();
        try {
            serializer.serialize(element, record);
        } catch (Exception e) {
            throw new IOException(
                    "Could not convert an element for " + client.describe(partition), e);
        }
        if (change == OdpsChangeKind.DELETE) {
            upload.delete(record);
        } else {
            upload.write(record);
        }
        numRecordsSend.inc();
        budget.resized(partition, upload.bufferedBytes());
        budget.enforce(this::flushPartition);
    }

    /** Sends the buffered rows of a partition as a block, as the memory budget asks. */
    private long flushPartition(String partition) throws IOException {
        PartitionWrite upload = uploads.get(partition);
        LOG.debug(
                "Buffers of {} hold {} bytes, over {}; sending the {} bytes of {}",
                client.tablePath(),
                budget.buffered(),
                budget.maxBytes(),
                upload.bufferedBytes(),
                partition);
        upload.flush();
        return upload.bufferedBytes();
    }

    /** The bytes the sessions buffer now, as the memory budget counts them. */
    @VisibleForTesting
    long bufferedBytes() {
        return budget.buffered();
    }

    /** The most bytes the sessions buffered after a row was written. */
    @VisibleForTesting
    long peakBufferedBytes() {
        return budget.peak();
    }

    private PartitionWrite open(String partition) throws IOException {
        if (uploads.size() >= settings.dynamicPartitionLimit) {
            throw new IOException(
                    "This writer received rows for more than "
                            + settings.dynamicPartitionLimit
                            + " partitions of table "
                            + client.tablePath()
                            + " within one checkpoint (the latest was "
                            + partition
                            + "); raise 'sink.dynamic-partition.limit' if that is intended.");
        }
        if (!partition.isEmpty() && knownPartitions.add(partition)) {
            client.ensurePartition(partition);
        }
        PartitionWrite upload =
                upsertNetwork != null
                        ? new PartitionUpsert(
                                client,
                                partition,
                                upsertNetwork,
                                settings.maxBlockBytes,
                                settings.maxBlockRows)
                        : new PartitionUpload(
                                client,
                                partition,
                                settings.overwrite,
                                settings.maxBlockBytes,
                                settings.maxBlockRows,
                                settings.compress);
        uploads.put(partition, upload);
        LOG.debug("Opened session {} for {}", upload.sessionId(), client.describe(partition));
        return upload;
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (settings.overwrite) {
            if (!endOfInput) {
                throw new IOException(
                        "Overwriting MaxCompute table "
                                + client.tablePath()
                                + " needs a bounded job in BATCH mode: a checkpoint would commit"
                                + " a partition before all its rows are written.");
            }
            if (emptyOverwriteTarget != null && !uploads.containsKey(emptyOverwriteTarget)) {
                open(emptyOverwriteTarget);
            }
        }
        if (settings.deliveryGuarantee != DeliveryGuarantee.EXACTLY_ONCE) {
            commitOwnSessions();
        }
    }

    @Override
    public Collection<OdpsCommittable> prepareCommit() throws IOException {
        List<OdpsCommittable> committables = new ArrayList<>(uploads.size());
        for (PartitionWrite upload : uploads.values()) {
            // An overwrite commits even an empty session: it empties the partition.
            if (upload.rowCount() == 0 && !settings.overwrite) {
                upload.abandon();
            } else {
                committables.add(upload.toCommittable(connection.project()));
                numBytesSend.inc(upload.bytesSent());
            }
        }
        uploads.clear();
        budget.clear();
        return committables;
    }

    private void commitOwnSessions() throws IOException {
        for (PartitionWrite upload : uploads.values()) {
            // An overwrite commits even an empty session: it empties the partition.
            if (upload.rowCount() == 0 && !settings.overwrite) {
                upload.abandon();
            } else {
                upload.commitNow();
                numBytesSend.inc(upload.bytesSent());
            }
        }
        uploads.clear();
        budget.clear();
    }

    private void scheduleFlush() {
        long next = timeService.getCurrentProcessingTime() + settings.flushInterval.toMillis();
        timeService.registerTimer(
                next,
                time -> {
                    try {
                        commitOwnSessions();
                    } catch (IOException e) {
                        asyncFlushError = e;
                    }
                    scheduleFlush();
                });
    }

    @Override
    public void close() {
        if (!uploads.isEmpty()) {
            // Sessions not handed to the committer are never committed: their rows never appear.
            LOG.info(
                    "Closing with {} uncommitted sessions of table {}",
                    uploads.size(),
                    client.tablePath());
            uploads.values().forEach(PartitionWrite::abandon);
            uploads.clear();
            budget.clear();
        }
        if (upsertNetwork != null) {
            upsertNetwork.close();
        }
    }
}
