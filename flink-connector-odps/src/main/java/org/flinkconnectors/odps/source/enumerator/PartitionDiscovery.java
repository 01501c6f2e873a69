package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.source.OdpsSourceSettings;
import org.flinkconnectors.odps.source.PartitionChangePolicy;
import org.flinkconnectors.odps.source.PartitionSelector;
import org.flinkconnectors.odps.source.reader.ProjectedColumns;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.Partition;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.tunnel.TableTunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Looks at the table: lists its partitions, applies the {@link PartitionSelector} and opens a
 * download session on every selected partition that may have changed, reporting each session's row
 * count. Planning splits from that is the enumerator's job, in its own thread.
 *
 * <p>A partition already read is checked by the {@link PartitionChangeDetector}: rows appended
 * after the ones read are reported for reading; contents that changed otherwise (overwritten,
 * truncated, merged) fail the discovery with a message naming table, partition and what changed,
 * or, with {@link PartitionChangePolicy#REREAD}, are reported for reading again from the first row.
 *
 * <p>Runs only in the enumerator's worker thread, which owns the map of what was seen at the last
 * look (the enumerator plans every snapshot reported, so that is also what it has planned). A
 * partition is looked at when it is new to the source, when its {@code LastModifiedTime} changed,
 * or while that time is recent: MaxCompute reports it in whole seconds, so a write within the same
 * second as the previous look would otherwise go unnoticed. The margin ({@link #SETTLE_MILLIS})
 * also covers clock skew between MaxCompute and this process. An unpartitioned table has no cheap
 * modification time here and is looked at every time.
 */
@Internal
final class PartitionDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionDiscovery.class);

    /** Partitions modified less than this long ago are looked at again at every discovery. */
    static final long SETTLE_MILLIS = 60_000;

    private final OdpsTableClient client;
    private final OdpsSourceSettings settings;
    private final LongSupplier clock;
    private final PartitionChangeDetector detector;
    private final Map<String, PartitionProgress> lastLook;
    @Nullable private Boolean partitioned;

    PartitionDiscovery(
            OdpsTableClient client,
            OdpsSourceSettings settings,
            Map<String, PartitionProgress> known,
            LongSupplier clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.detector = new PartitionChangeDetector(client);
        this.lastLook = new HashMap<>(known);
    }

    /** Looks at the table once; see the class comment for which partitions get a session. */
    Result discover() throws IOException {
        if (partitioned == null) {
            TableSchema schema = loadSchema();
            // Fail here, before any reader runs, if the projection does not fit the table.
            ProjectedColumns.resolve(schema, settings.columns(), client.tablePath());
            partitioned = !schema.getPartitionColumns().isEmpty();
        }
        if (!partitioned) {
            TableTunnel.DownloadSession session = client.createDownloadSession("");
            return new Result(null, List.of(look("", session, PartitionProgress.UNKNOWN_TIME)));
        }
        Map<String, Long> listed = new LinkedHashMap<>();
        for (Partition partition : client.partitions()) {
            Date modified = partition.getLastDataModifiedTime();
            listed.put(
                    partition.getPartitionSpec().toString(false, true),
                    modified == null ? PartitionProgress.UNKNOWN_TIME : modified.getTime());
        }
        List<PartitionSnapshot> snapshots = new ArrayList<>();
        for (String spec : select(new ArrayList<>(listed.keySet()))) {
            long modified = listed.get(spec);
            if (!needsLook(spec, modified)) {
                continue;
            }
            TableTunnel.DownloadSession session = openSession(spec);
            if (session != null) {
                snapshots.add(look(spec, session, modified));
            }
        }
        lastLook.keySet().retainAll(listed.keySet());
        return new Result(listed.keySet(), snapshots);
    }

    private boolean needsLook(String spec, long modified) {
        PartitionProgress previous = lastLook.get(spec);
        return previous == null
                || modified == PartitionProgress.UNKNOWN_TIME
                || previous.getLastModifiedMillis() != modified
                || clock.getAsLong() - modified < SETTLE_MILLIS;
    }

    private PartitionSnapshot look(String spec, TableTunnel.DownloadSession session, long modified)
            throws IOException {
        if (settings.isBounded()) {
            // Looked at once: nothing to compare with, so no fingerprint to take either.
            PartitionProgress progress = new PartitionProgress(session.getRecordCount(), modified);
            return new PartitionSnapshot(
                    spec, session.getId(), session.getRecordCount(), progress, false);
        }
        PartitionChangeDetector.Verdict verdict =
                detector.inspect(lastLook.get(spec), session, modified);
        boolean reread = verdict.change != null;
        if (reread) {
            String where =
                    String.format(
                            "%s of table %s changed other than by appending rows: %s.",
                            spec.isEmpty() ? "The data" : "Partition " + spec,
                            client.tablePath(),
                            verdict.change);
            if (settings.partitionChangePolicy() == PartitionChangePolicy.FAIL) {
                throw new IOException(
                        where
                                + " Its rows cannot be read on consistently, so the source"
                                + " fails. To read the new contents from the first row (rows"
                                + " already emitted are emitted again), set"
                                + " 'scan.on-partition-change' = 'reread' (DataStream:"
                                + " setPartitionChangePolicy(PartitionChangePolicy.REREAD)) and"
                                + " restore; or start the job without this state.");
            }
            LOG.warn(
                    "{} Reading its {} rows again from the first one"
                            + " ('scan.on-partition-change' = 'reread').",
                    where,
                    session.getRecordCount());
        }
        lastLook.put(spec, verdict.progress);
        return new PartitionSnapshot(
                spec, session.getId(), session.getRecordCount(), verdict.progress, reread);
    }

    private Set<String> select(List<String> specs) {
        PartitionSelector selector = settings.partitionSelector();
        List<String> selected = selector.select(java.util.Collections.unmodifiableList(specs));
        Set<String> result = new LinkedHashSet<>(selected);
        for (String spec : result) {
            if (!specs.contains(spec)) {
                throw new IllegalStateException(
                        String.format(
                                "The partition selector %s chose partition '%s', which table %s"
                                        + " does not have. A selector must return a subset of the"
                                        + " specs it is given, e.g. %s.",
                                selector,
                                spec,
                                client.tablePath(),
                                specs.isEmpty()
                                        ? "none (the table has no partitions)"
                                        : specs.get(0)));
            }
        }
        return result;
    }

    @Nullable
    private TableTunnel.DownloadSession openSession(String spec) throws IOException {
        try {
            return client.createDownloadSession(spec);
        } catch (IOException e) {
            if (!OdpsTableClient.isNotFound(e)) {
                throw e;
            }
            if (settings.isBounded()) {
                throw new IOException(
                        String.format(
                                "Partition %s of table %s was selected but disappeared before the"
                                        + " source could open a download session on it; was it"
                                        + " dropped?",
                                spec, client.tablePath()),
                        e);
            }
            // Streaming reads outlive partitions (lifecycle, retention): a partition dropped just
            // after it was listed has nothing left to read.
            LOG.warn(
                    "Partition {} of table {} disappeared right after it was listed; skipping it.",
                    spec,
                    client.tablePath());
            return null;
        }
    }

    private TableSchema loadSchema() throws IOException {
        try {
            return client.schema();
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                throw new IOException(
                        String.format(
                                "MaxCompute table %s does not exist. Check the table name and"
                                        + " the project and schema of the connection.",
                                client.tablePath()),
                        e);
            }
            throw e;
        }
    }

    /** What one discovery saw. */
    static final class Result {
        /** Every partition the table has now; {@code null} for an unpartitioned table. */
        @Nullable final Set<String> listedSpecs;

        /** The partitions looked at, in listing order. */
        final List<PartitionSnapshot> snapshots;

        Result(@Nullable Set<String> listedSpecs, List<PartitionSnapshot> snapshots) {
            this.listedSpecs = listedSpecs;
            this.snapshots = snapshots;
        }
    }
}
