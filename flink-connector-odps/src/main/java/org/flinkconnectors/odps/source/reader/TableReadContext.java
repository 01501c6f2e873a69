package org.flinkconnectors.odps.source.reader;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.source.ArrowBatchDeserializer;
import org.flinkconnectors.odps.source.OdpsRecordDeserializer;
import org.flinkconnectors.odps.source.OdpsSourceSettings;
import org.flinkconnectors.odps.source.split.OdpsSplit;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the split readers of one source reader share: the table client, the schema and projection,
 * the opened deserializer and the download sessions attached so far. Flink replaces a split reader
 * whenever its fetcher went idle, so this lives per source reader and is set up once, lazily, in
 * the first fetcher thread rather than in the task thread.
 *
 * <p>Sessions are cached per planned session id: consecutive splits of a partition share one, and a
 * replacement for an expired session serves all splits planned on it.
 */
@Internal
public final class TableReadContext<OUT> {

    private static final Logger LOG = LoggerFactory.getLogger(TableReadContext.class);
    private static final int MAX_CACHED_SESSIONS = 16;

    private final OdpsSourceSettings settings;
    private final OdpsRecordDeserializer<OUT> deserializer;
    private final Map<String, TableTunnel.DownloadSession> sessions =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(
                        Map.Entry<String, TableTunnel.DownloadSession> eldest) {
                    return size() > MAX_CACHED_SESSIONS;
                }
            };

    private OdpsTableClient client;
    private ProjectedColumns columns;

    public TableReadContext(OdpsSourceSettings settings, OdpsRecordDeserializer<OUT> deserializer) {
        this.settings = settings;
        this.deserializer = deserializer;
    }

    /** Loads the schema and opens the deserializer on first use. */
    synchronized void open() throws IOException {
        if (client != null) {
            return;
        }
        OdpsTableClient tableClient = new OdpsTableClient(settings.connection(), settings.table());
        TableSchema schema = tableClient.schema();
        ProjectedColumns projected =
                ProjectedColumns.resolve(schema, settings.columns(), tableClient.tablePath());
        try {
            deserializer.open(schema, projected.readColumnNames());
        } catch (Exception e) {
            throw new IOException(
                    "Could not open the deserializer " + deserializer + ": " + e.getMessage(), e);
        }
        this.columns = projected;
        this.client = tableClient;
    }

    String describe(String partitionSpec) {
        return client.describe(partitionSpec);
    }

    /**
     * Opens the download of rows {@code [fromRow, split end)} of {@code split} with the projected
     * columns, on the split's session or, if that expired, on a new session of the partition.
     */
    synchronized SplitDownload<OUT> openStream(OdpsSplit split, long fromRow) throws IOException {
        long count = split.getEndRow() - fromRow;
        try {
            return open(session(split), split.getPartitionSpec(), fromRow, count);
        } catch (IOException e) {
            if (!OdpsTableClient.isNotFound(e)) {
                throw e;
            }
            // The session expired between attaching and reading: attach (or replace) once more.
            sessions.remove(key(split));
            return open(session(split), split.getPartitionSpec(), fromRow, count);
        }
    }

    private SplitDownload<OUT> open(
            TableTunnel.DownloadSession session, String spec, long from, long count)
            throws IOException {
        if (settings.arrowDownloads()) {
            // The source builder made sure that the deserializer takes Arrow batches.
            return ArrowDownload.open(
                    client,
                    session,
                    columns.tunnelColumns(),
                    (ArrowBatchDeserializer<OUT>) deserializer,
                    spec,
                    from,
                    count);
        }
        TunnelRecordReader reader =
                client.call(
                        downloadDescription(session, from, count),
                        () ->
                                columns.tunnelColumns() == null
                                        ? session.openRecordReader(from, count, true)
                                        : session.openRecordReader(
                                                from, count, true, columns.tunnelColumns()));
        return new RecordDownload<>(reader, deserializer, spec, from, client.describe(spec));
    }

    static String downloadDescription(TableTunnel.DownloadSession session, long from, long count) {
        return "open the download of rows ["
                + from
                + ","
                + (from + count)
                + ") of session "
                + session.getId();
    }

    private TableTunnel.DownloadSession session(OdpsSplit split) throws IOException {
        String key = key(split);
        TableTunnel.DownloadSession session = sessions.get(key);
        if (session == null) {
            session = attachOrReplace(split);
            sessions.put(key, session);
        }
        if (session.getRecordCount() < split.getEndRow()) {
            throw new IOException(
                    String.format(
                            "%s now has %d rows, fewer than the %d the source planned to read"
                                    + " (split %s). It was overwritten or truncated after the"
                                    + " split was planned, so its remaining rows cannot be read"
                                    + " consistently; the source assumes partitions are only"
                                    + " appended to while it reads them.",
                            capitalized(client.describe(split.getPartitionSpec())),
                            session.getRecordCount(),
                            split.getEndRow(),
                            split));
        }
        return session;
    }

    private TableTunnel.DownloadSession attachOrReplace(OdpsSplit split) throws IOException {
        String spec = split.getPartitionSpec();
        try {
            return client.getDownloadSession(spec, split.getSessionId());
        } catch (IOException e) {
            if (!OdpsTableClient.isNotFound(e)) {
                throw e;
            }
        }
        LOG.info(
                "Download session {} of {} no longer exists (MaxCompute expires sessions after 24"
                        + " hours); opening a new one to continue at row {}.",
                split.getSessionId(),
                client.describe(spec),
                split.getNextRow());
        try {
            return client.createDownloadSession(spec);
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                throw new IOException(
                        String.format(
                                "%s no longer exists: it was dropped after the source planned"
                                        + " split %s, whose download session has expired too."
                                        + " Rows [%d,%d) cannot be read.",
                                capitalized(client.describe(spec)),
                                split,
                                split.getNextRow(),
                                split.getEndRow()),
                        e);
            }
            throw e;
        }
    }

    private static String key(OdpsSplit split) {
        return split.getPartitionSpec() + '\n' + split.getSessionId();
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
