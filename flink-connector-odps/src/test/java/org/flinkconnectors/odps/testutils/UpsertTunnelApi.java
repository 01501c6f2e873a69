package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.tunnel.HttpHeaders;
import com.aliyun.odps.tunnel.TunnelConstants;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upsert tunnel of primary-key (transactional) tables, {@code .../tables/{t}/upserts}, as
 * {@code TableTunnel.UpsertSession} and {@code UpsertStream} of odps-sdk-core 0.57.1 speak it:
 *
 * <ul>
 *   <li>{@code POST ?slotnum=n[&partition]} creates a session: its schema, the hash key (the
 *       primary key), the hasher and the slots with their buckets;
 *   <li>{@code GET ?upsertid} reloads it (also how a session is resumed by id);
 *   <li>{@code PUT ?upsertid&bucketid&slotid&record_count} carries one bucket's rows; the SDK sends
 *       it over its own Netty client with the path relative to the tunnel endpoint, which is why
 *       the server also serves the tunnel at {@code /projects};
 *   <li>{@code POST ?upsertid} commits: the session's upserts and deletes are applied by primary
 *       key in arrival order, atomically, and the status becomes {@code committed};
 *   <li>{@code DELETE ?upsertid} aborts: everything received is discarded.
 * </ul>
 *
 * <p>Re-committing a committed session answers {@code committed} again and changes nothing; a
 * committed session keeps that status after its lifetime. The SDK polls a commit by re-posting it
 * until the status leaves {@code normal}/{@code committing}, so the service must answer a commit of
 * a committed session with that status. A session still open at the end of its lifetime ({@code
 * lifecycle} hours, 24 by default, on the {@link ServerClock}) becomes {@code expired}; a commit of
 * an expired or aborted session answers with that status, which the SDK reports as a failed commit.
 * The sessions of a partition that was dropped (even if recreated since) are gone: they answer
 * {@code UpsertSessionNotFound}, as do all sessions after {@link #forgetAll()}.
 */
final class UpsertTunnelApi {

    static final String RESOURCE = TunnelConstants.UPSERTS;

    private final Map<String, ServerUpsertSession> sessions = new ConcurrentHashMap<>();
    private final ServerClock clock;

    UpsertTunnelApi(ServerClock clock) {
        this.clock = clock;
    }

    static boolean isUpsertRequest(ServerRequest request) {
        List<String> segments = request.segments();
        return !segments.isEmpty() && segments.get(segments.size() - 1).equals(RESOURCE);
    }

    ServerResponse handle(ServerTable table, String partitionSpec, ServerRequest request)
            throws IOException {
        String method = request.method();
        String id = request.param(TunnelConstants.UPSERT_ID);
        if (id == null) {
            if (method.equals("POST")) {
                return create(
                        table,
                        partitionSpec,
                        request.param(TunnelConstants.SLOT_NUM),
                        request.param(TunnelConstants.LIFECYCLE));
            }
            throw ServerException.badRequest(
                    "InvalidArgument", "An upsert request needs an upsertid: " + request);
        }
        ServerUpsertSession session = session(table, id);
        switch (method) {
            case "GET":
                break;
            case "PUT":
                write(session, request);
                return ServerResponse.empty(200);
            case "POST":
                commit(session);
                break;
            case "DELETE":
                abort(session);
                break;
            default:
                throw ServerException.badRequest(
                        "InvalidArgument", "Unsupported upsert request " + request);
        }
        return ServerResponse.json(200, session.json().toString());
    }

    /** Open sessions stop taking data and can no longer be committed. */
    void expireOpenSessions() {
        for (ServerUpsertSession session : sessions.values()) {
            synchronized (session) {
                if (session.status().equals(ServerUpsertSession.NORMAL)) {
                    session.setStatus(ServerUpsertSession.EXPIRED);
                }
            }
        }
    }

    /** The changes an open session received so far, each copy of a re-sent one counted. */
    int receivedChanges(String id) {
        ServerUpsertSession session = sessions.get(id);
        if (session == null) {
            throw new IllegalArgumentException("No upsert session " + id);
        }
        return session.changeCount();
    }

    /** All sessions disappear: they answer UpsertSessionNotFound from now on. */
    void forgetAll() {
        sessions.clear();
    }

    private ServerResponse create(
            ServerTable table, String spec, String slotNum, String lifecycleHours) {
        if (!table.isTransactional()) {
            throw ServerException.badRequest(
                    "InvalidArgument",
                    "Table "
                            + table.project()
                            + "."
                            + table.name()
                            + " has no primary key; upsert sessions need a transactional table"
                            + " with a PRIMARY KEY.");
        }
        String canonical;
        try {
            canonical = table.canonicalSpec(spec);
        } catch (IllegalArgumentException e) {
            throw ServerException.badRequest("InvalidPartitionSpec", e.getMessage());
        }
        ServerPartition partition = table.partition(canonical);
        if (partition == null) {
            throw ServerException.notFound(
                    "NoSuchPartition", "The specified partition does not exist: " + spec);
        }
        int slots = slotNum == null ? 1 : Integer.parseInt(slotNum);
        long lifetimeMillis =
                Duration.ofHours(lifecycleHours == null ? 24 : Long.parseLong(lifecycleHours))
                        .toMillis();
        ServerUpsertSession session =
                new ServerUpsertSession(
                        UUID.randomUUID().toString(),
                        table,
                        partition,
                        slots,
                        clock.millis() + lifetimeMillis);
        sessions.put(session.id, session);
        return ServerResponse.json(200, session.json().toString());
    }

    private ServerUpsertSession session(ServerTable table, String id) {
        ServerUpsertSession session = sessions.get(id);
        if (session == null
                || session.table != table
                || table.partition(session.partition) != session.partitionInstance) {
            // An unknown session, or one of a dropped table or partition (recreated or not).
            throw ServerException.notFound(
                    "UpsertSessionNotFound", "The upsert session does not exist: " + id);
        }
        session.expireIfDue(clock.millis());
        return session;
    }

    private static void write(ServerUpsertSession session, ServerRequest request)
            throws IOException {
        int bucket = Integer.parseInt(request.param(TunnelConstants.BUCKET_ID));
        if (bucket < 0 || bucket >= ServerUpsertSession.BUCKETS) {
            throw ServerException.badRequest("InvalidArgument", "No bucket " + bucket);
        }
        String slot = session.slotOf(bucket);
        if (!slot.equals(request.param(TunnelConstants.SLOT_ID))
                || !ServerUpsertSession.workerOf(slot)
                        .equals(request.header(HttpHeaders.HEADER_ODPS_ROUTED_SERVER))) {
            throw ServerException.badRequest(
                    "InvalidArgument",
                    "Bucket " + bucket + " belongs to slot " + slot + " on another worker");
        }
        session.add(UpsertRecords.decode(session, bucket, request));
    }

    private static void commit(ServerUpsertSession session) {
        synchronized (session) {
            if (!session.status().equals(ServerUpsertSession.NORMAL)) {
                return; // committed: idempotent; expired or aborted: the status says why not
            }
            ServerPartition partition = session.partitionInstance;
            List<ServerUpsertSession.Change> changes = session.takeForCommit();
            partition.rewrite(rows -> UpsertRecords.applyByKey(session.table, rows, changes));
        }
    }

    private static void abort(ServerUpsertSession session) {
        synchronized (session) {
            String status = session.status();
            if (status.equals(ServerUpsertSession.COMMITTED)) {
                throw ServerException.conflict(
                        "StatusConflict",
                        "Upsert session " + session.id + " is committed and cannot be aborted.");
            }
            if (status.equals(ServerUpsertSession.NORMAL)) {
                session.abort();
            }
        }
    }
}
