package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamReader;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamWriter;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The table tunnel: download sessions over a snapshot of a partition with row ranges and column
 * projection, and upload sessions whose blocks become visible atomically on commit (appended, or
 * replacing the partition when the session was opened with {@code overwrite=true}), and the upsert
 * sessions of primary-key tables ({@link UpsertTunnelApi}). Records go over the wire in the SDK's
 * own protobuf record stream format, or as Arrow record batches when the download asks for {@code
 * arrow} ({@link ArrowBatchWriter}).
 */
final class TunnelApi {

    /** How long MaxCompute keeps an upload session after creating it. */
    static final Duration UPLOAD_SESSION_LIFETIME = Duration.ofHours(24);

    /** Chunk size of the CRC framing of Arrow downloads; small, so that rows span chunks. */
    private static final int ARROW_CHUNK_BYTES = 4096;

    /**
     * Deflate's output buffer: with the stream's default of 512 bytes, and at the default level,
     * deflating took most of the server's CPU for an Arrow download.
     */
    private static final int DEFLATE_BUFFER_BYTES = 64 * 1024;

    private final ServerStore store;
    private final ServerClock clock;
    private final Map<String, DownloadSession> downloads = new ConcurrentHashMap<>();
    private final Map<String, UploadSession> uploads = new ConcurrentHashMap<>();
    private final UpsertTunnelApi upserts;

    TunnelApi(ServerStore store, ServerClock clock) {
        this.store = store;
        this.clock = clock;
        this.upserts = new UpsertTunnelApi(clock);
    }

    /**
     * Forgets every upload session, committed or not, as a service that purged their metadata
     * would: they answer {@code NoSuchUpload} from then on.
     */
    void forgetUploadSessions() {
        uploads.clear();
    }

    /** Expires every open upsert session: it can no longer take data or be committed. */
    void expireUpsertSessions() {
        upserts.expireOpenSessions();
    }

    int receivedUpsertChanges(String sessionId) {
        return upserts.receivedChanges(sessionId);
    }

    /** Forgets every upsert session: they answer {@code UpsertSessionNotFound} from then on. */
    void forgetUpsertSessions() {
        upserts.forgetAll();
    }

    /** Handles a request; streamed answers are written to {@code out} and return null. */
    ServerResponse handle(ServerRequest request, StreamedAnswer streamed) throws Exception {
        ServerTable table = resolveTable(request);
        if (UpsertTunnelApi.isUpsertRequest(request)) {
            return upserts.handle(table, request.param("partition"), request);
        }
        String method = request.method();
        if (method.equals("POST") && request.has("downloads")) {
            return createDownload(table, request.param("partition"));
        }
        if (method.equals("GET") && request.has("downloadid")) {
            DownloadSession session = download(request.param("downloadid"));
            if (request.has("data")) {
                streamRows(session, request, streamed);
                return null;
            }
            return ServerResponse.json(200, session.json().toString());
        }
        if (method.equals("POST") && request.has("uploads")) {
            return createUpload(
                    table, request.param("partition"), "true".equals(request.param("overwrite")));
        }
        if (request.has("uploadid")) {
            UploadSession session = upload(request.param("uploadid"));
            if (method.equals("PUT")) {
                writeBlock(session, Long.parseLong(request.param("blockid")), request);
                return ServerResponse.empty(200);
            }
            if (method.equals("POST")) {
                commit(session);
            }
            return ServerResponse.json(200, session.json().toString());
        }
        throw ServerException.badRequest(
                "InvalidArgument", "Tunnel request not supported by OdpsTestServer: " + request);
    }

    private ServerTable resolveTable(ServerRequest request) {
        List<String> path = request.segments();
        // /projects/{p}/tables/{t} or /projects/{p}/schemas/{s}/tables/{t}
        if (path.size() >= 4 && path.get(0).equals("projects") && path.get(2).equals("tables")) {
            return RestApi.requireTable(store, path.get(1), null, path.get(3));
        }
        if (path.size() >= 6 && path.get(0).equals("projects") && path.get(2).equals("schemas")) {
            return RestApi.requireTable(store, path.get(1), path.get(3), path.get(5));
        }
        throw ServerException.notFound(
                "NoSuchObject", "Unknown tunnel resource " + request.resource());
    }

    private String canonical(ServerTable table, String spec) {
        try {
            return table.canonicalSpec(spec);
        } catch (IllegalArgumentException e) {
            throw ServerException.badRequest("InvalidPartitionSpec", e.getMessage());
        }
    }

    private ServerResponse createDownload(ServerTable table, String spec) {
        ServerPartition partition = table.partition(canonical(table, spec));
        if (partition == null) {
            throw ServerException.notFound(
                    "NoSuchPartition", "The specified partition does not exist: " + spec);
        }
        DownloadSession session =
                new DownloadSession(UUID.randomUUID().toString(), table, partition.snapshot());
        downloads.put(session.id, session);
        return ServerResponse.json(201, session.json().toString());
    }

    private DownloadSession download(String id) {
        DownloadSession session = downloads.get(id);
        if (session == null) {
            throw ServerException.notFound("NoSuchDownload", "Download session not found: " + id);
        }
        return session;
    }

    private void streamRows(DownloadSession session, ServerRequest request, StreamedAnswer streamed)
            throws IOException {
        long[] range = parseRange(request.param("rowrange"), session.snapshot.rowCount());
        List<Column> columns = projectedColumns(session.table, request.param("columns"));
        TableSchema projected = new TableSchema();
        columns.forEach(projected::addColumn);
        int[] sourceIndexes = new int[columns.size()];
        List<Column> all = session.table.schema().getColumns();
        for (int i = 0; i < columns.size(); i++) {
            sourceIndexes[i] = indexOf(all, columns.get(i).getName());
        }
        Column[] columnArray = columns.toArray(new Column[0]);
        if (request.has("arrow")) {
            // Deflate when asked, as the service does; the SDK inflates before it checks the CRCs.
            String encoding = request.header("Accept-Encoding");
            Deflater deflater =
                    encoding != null && encoding.contains("deflate")
                            ? new Deflater(Deflater.BEST_SPEED)
                            : null;
            OutputStream body =
                    streamed.open(
                            200, "application/octet-stream", deflater != null ? "deflate" : null);
            try (OutputStream out =
                    new CrcChunkedOutputStream(
                            deflater != null
                                    ? new DeflaterOutputStream(body, deflater, DEFLATE_BUFFER_BYTES)
                                    : body,
                            ARROW_CHUNK_BYTES)) {
                ArrowBatchWriter.write(
                        projected, session.snapshot.rows(range[0], range[1]), sourceIndexes, out);
            } finally {
                if (deflater != null) {
                    // A deflater of one's own is not ended by the stream's close.
                    deflater.end();
                }
            }
            return;
        }
        try (OutputStream out = streamed.open(200, "application/octet-stream", null)) {
            ProtobufRecordStreamWriter writer =
                    new ProtobufRecordStreamWriter(
                            projected,
                            out,
                            new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0));
            ArrayRecord target = new ArrayRecord(columnArray);
            for (Record row : session.snapshot.rows(range[0], range[1])) {
                for (int i = 0; i < sourceIndexes.length; i++) {
                    target.set(i, row.get(sourceIndexes[i]));
                }
                writer.write(target);
            }
            writer.close();
        }
    }

    private static long[] parseRange(String rowRange, long rowCount) {
        if (rowRange == null) {
            return new long[] {0, rowCount};
        }
        String[] parts = rowRange.replace("(", "").replace(")", "").split(",");
        long start = Long.parseLong(parts[0].trim());
        long count = Long.parseLong(parts[1].trim());
        if (start < 0 || count < 0 || start + count > rowCount) {
            throw ServerException.badRequest(
                    "InvalidRowRange",
                    "The specified row range ("
                            + start
                            + ","
                            + count
                            + ") is not valid for "
                            + rowCount
                            + " rows.");
        }
        return new long[] {start, count};
    }

    private static List<Column> projectedColumns(ServerTable table, String columns) {
        List<Column> all = table.schema().getColumns();
        if (columns == null || columns.isBlank()) {
            return all;
        }
        List<Column> out = new ArrayList<>();
        for (String name : columns.split(",")) {
            int index = indexOf(all, name.trim());
            if (index < 0) {
                throw ServerException.badRequest(
                        "InvalidColumnSpec", "Column not found in table: " + name);
            }
            out.add(all.get(index));
        }
        return out;
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).getName().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private ServerResponse createUpload(ServerTable table, String spec, boolean overwrite) {
        String canonical = canonical(table, spec);
        if (table.partition(canonical) == null) {
            throw ServerException.notFound(
                    "NoSuchPartition", "The specified partition does not exist: " + spec);
        }
        UploadSession session =
                new UploadSession(
                        UUID.randomUUID().toString(), table, canonical, overwrite, clock.millis());
        uploads.put(session.id, session);
        return ServerResponse.json(201, session.json().toString());
    }

    private UploadSession upload(String id) {
        UploadSession session = uploads.get(id);
        if (session == null) {
            throw ServerException.notFound(
                    "NoSuchUpload", "The upload session does not exist: " + id);
        }
        session.expireIfDue(clock.millis());
        return session;
    }

    private static void writeBlock(UploadSession session, long blockId, ServerRequest request)
            throws IOException {
        if (!session.status.equals("normal")) {
            throw ServerException.conflict(
                    "StatusConflict",
                    "The upload session is " + session.status + ": " + session.id);
        }
        TableSchema schema = new TableSchema();
        session.table.schema().getColumns().forEach(schema::addColumn);
        List<Record> rows = new ArrayList<>();
        try (InputStream in = request.body()) {
            ProtobufRecordStreamReader reader =
                    new ProtobufRecordStreamReader(
                            schema,
                            in,
                            TunnelFormats.compression(request.header("Content-Encoding")));
            Record record;
            while ((record = reader.read()) != null) {
                rows.add(record);
            }
        } catch (IOException e) {
            throw ServerException.badRequest(
                    "MalformedDataStream", "Bad block data: " + e.getMessage());
        }
        synchronized (session) {
            session.blocks.put(blockId, rows);
        }
    }

    private static void commit(UploadSession session) {
        synchronized (session) {
            if (!session.status.equals("normal")) {
                throw ServerException.conflict(
                        "StatusConflict",
                        "The upload session is " + session.status + ": " + session.id);
            }
            ServerPartition partition = session.table.partition(session.partition);
            if (partition == null) {
                throw ServerException.notFound(
                        "NoSuchPartition", "The partition was dropped: " + session.partition);
            }
            List<Record> rows = new ArrayList<>();
            session.blocks.values().forEach(rows::addAll);
            if (session.overwrite) {
                partition.replace(rows);
            } else {
                partition.append(rows);
            }
            session.status = "closed";
        }
    }

    /** Opens the response body of a streamed answer. */
    interface StreamedAnswer {
        OutputStream open(int status, String contentType, @Nullable String contentEncoding)
                throws IOException;
    }

    private static final class DownloadSession {
        final String id;
        final ServerTable table;
        final ServerPartition.Snapshot snapshot;

        DownloadSession(String id, ServerTable table, ServerPartition.Snapshot snapshot) {
            this.id = id;
            this.table = table;
            this.snapshot = snapshot;
        }

        JsonObject json() {
            JsonObject json = new JsonObject();
            json.addProperty("DownloadID", id);
            json.addProperty("Status", "normal");
            json.addProperty("RecordCount", snapshot.rowCount());
            json.add("Schema", TunnelFormats.schemaJson(table.schema()));
            return json;
        }
    }

    /**
     * An upload session. Its status is {@code normal} until it is committed ({@code closed}) or
     * reaches the end of its lifetime uncommitted ({@code expired}: it takes no more blocks and
     * cannot be committed). A committed session keeps answering {@code closed} after its lifetime,
     * so that a client can still tell that its rows were committed.
     */
    private static final class UploadSession {
        final String id;
        final ServerTable table;
        final String partition;
        final boolean overwrite;
        final long createdAtMillis;
        final TreeMap<Long, List<Record>> blocks = new TreeMap<>();
        volatile String status = "normal";

        UploadSession(
                String id,
                ServerTable table,
                String partition,
                boolean overwrite,
                long createdAtMillis) {
            this.id = id;
            this.table = table;
            this.partition = partition;
            this.overwrite = overwrite;
            this.createdAtMillis = createdAtMillis;
        }

        synchronized void expireIfDue(long nowMillis) {
            if (status.equals("normal")
                    && nowMillis - createdAtMillis >= UPLOAD_SESSION_LIFETIME.toMillis()) {
                status = "expired";
                blocks.clear();
            }
        }

        synchronized JsonObject json() {
            JsonObject json = new JsonObject();
            json.addProperty("UploadID", id);
            json.addProperty("Status", status);
            JsonArray blockList = new JsonArray();
            for (Long blockId : blocks.keySet()) {
                JsonObject block = new JsonObject();
                block.addProperty("BlockID", blockId);
                blockList.add(block);
            }
            json.add("UploadedBlockList", blockList);
            json.add("Schema", TunnelFormats.schemaJson(table.schema()));
            return json;
        }
    }
}
