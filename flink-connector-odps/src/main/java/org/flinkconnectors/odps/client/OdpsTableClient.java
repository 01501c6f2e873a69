package org.flinkconnectors.odps.client;

import org.flinkconnectors.base.retry.Retrier;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.Partition;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.impl.UpsertSessionImpl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The connector's access to one MaxCompute table through the SDK: metadata, partitions and tunnel
 * sessions, with bounded retries of transient failures (5xx, I/O) and errors that name the table
 * and partition. Built on the task side from a serializable {@link OdpsConnectionConfig}.
 */
@Internal
public class OdpsTableClient {

    private final OdpsConnectionConfig config;
    private final String tableName;
    private final Odps odps;
    private final TableTunnel tunnel;
    private final Retrier retrier;
    private volatile TableSchema schema;

    public OdpsTableClient(OdpsConnectionConfig config, String tableName) {
        this.config = config;
        this.tableName = tableName;
        this.odps = config.createOdps();
        this.tunnel = config.createTableTunnel(odps);
        // The Retrier below retries every metadata call; SDK retries underneath would multiply the
        // attempts (and the time to a clear error) by client.max-retries.
        odps.getRestClient().setRetryTimes(0);
        this.retrier = new Retrier(config.retryPolicy(), OdpsTableClient::isTransient);
    }

    /** {@code project.table} or {@code project.schema.table}, for messages. */
    public String tablePath() {
        return config.project() + config.schema().map(s -> "." + s).orElse("") + "." + tableName;
    }

    public String tableName() {
        return tableName;
    }

    /** The table's schema (data and partition columns), loaded once. */
    public TableSchema schema() throws IOException {
        if (schema == null) {
            schema =
                    call(
                            "load the schema of table " + tablePath(),
                            () -> {
                                Table table = table();
                                table.reload();
                                return table.getSchema();
                            });
        }
        return schema;
    }

    public boolean isPartitioned() throws IOException {
        return !schema().getPartitionColumns().isEmpty();
    }

    /** The table's partitions with their last data modification time, ordered by spec. */
    public List<Partition> partitions() throws IOException {
        return call(
                "list the partitions of table " + tablePath(),
                () -> new ArrayList<>(table().getPartitions()));
    }

    /** Creates the partition if it does not exist yet. */
    public void ensurePartition(String spec) throws IOException {
        call(
                "create partition " + spec + " of table " + tablePath(),
                () -> {
                    PartitionSpec partition = new PartitionSpec(spec);
                    if (!table().hasPartition(partition)) {
                        table().createPartition(partition, true);
                    }
                    return null;
                });
    }

    public TableTunnel.UploadSession createUploadSession(String spec, boolean overwrite)
            throws IOException {
        return call(
                "create an upload session for " + describe(spec),
                () ->
                        isBlank(spec)
                                ? tunnel.createUploadSession(
                                        config.project(), schemaName(), tableName, overwrite)
                                : tunnel.createUploadSession(
                                        config.project(),
                                        schemaName(),
                                        tableName,
                                        new PartitionSpec(spec),
                                        overwrite));
    }

    /** Attaches to an existing upload session (throws if it does not exist or expired). */
    public TableTunnel.UploadSession getUploadSession(String spec, String sessionId)
            throws IOException {
        return call(
                "get upload session " + sessionId + " of " + describe(spec),
                () ->
                        isBlank(spec)
                                ? tunnel.getUploadSession(
                                        config.project(), schemaName(), tableName, sessionId)
                                : tunnel.getUploadSession(
                                        config.project(),
                                        schemaName(),
                                        tableName,
                                        new PartitionSpec(spec),
                                        sessionId));
    }

    /**
     * The primary key of a transactional (primary-key) table, empty for other tables. Only such
     * tables take upsert sessions.
     */
    public List<String> primaryKey() throws IOException {
        return call(
                "load the primary key of table " + tablePath(),
                () -> {
                    List<String> key = table().getPrimaryKey();
                    return key == null ? List.<String>of() : List.copyOf(key);
                });
    }

    /**
     * The retries of one upsert session's data connections and sends, with this client's retry
     * policy; the same object goes to {@link #createUpsertSession} and the session's stream.
     */
    public UpsertSendRetries newUpsertSendRetries() {
        return new UpsertSendRetries(config.retryPolicy());
    }

    /**
     * Opens an upsert session (primary-key tables only) whose data goes over {@code network}, its
     * connections retried by {@code retries}.
     */
    public TableTunnel.UpsertSession createUpsertSession(
            String spec, UpsertNetwork network, UpsertSendRetries retries) throws IOException {
        return call(
                "create an upsert session for " + describe(spec),
                () -> build(upsertBuilder(spec, network, retries)));
    }

    /** Attaches to an existing upsert session (throws if the service does not know it). */
    public TableTunnel.UpsertSession getUpsertSession(
            String spec, String sessionId, UpsertNetwork network) throws IOException {
        return call(
                "get upsert session " + sessionId + " of " + describe(spec),
                () ->
                        build(
                                upsertBuilder(spec, network, newUpsertSendRetries())
                                        .setUpsertId(sessionId)));
    }

    public TableTunnel.DownloadSession createDownloadSession(String spec) throws IOException {
        return call(
                "create a download session for " + describe(spec),
                () -> downloadBuilder(spec).build());
    }

    /** Attaches to an existing download session. */
    public TableTunnel.DownloadSession getDownloadSession(String spec, String sessionId)
            throws IOException {
        return call(
                "get download session " + sessionId + " of " + describe(spec),
                () -> downloadBuilder(spec).setDownloadId(sessionId).build());
    }

    /** Runs an SDK call with the configured retries; failures name what was attempted. */
    public <T> T call(String description, Retrier.Action<T> action) throws IOException {
        try {
            return retrier.call(description, action);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not " + description + ": " + rootMessage(e), e);
        }
    }

    public String describe(String spec) {
        return isBlank(spec)
                ? "table " + tablePath()
                : "partition " + spec + " of table " + tablePath();
    }

    private TableTunnel.DownloadSessionBuilder downloadBuilder(String spec) {
        TableTunnel.DownloadSessionBuilder builder =
                tunnel.buildDownloadSession(config.project(), tableName)
                        .setSchemaName(schemaName());
        if (!isBlank(spec)) {
            builder.setPartitionSpec(new PartitionSpec(spec));
        }
        return builder;
    }

    private UpsertSessionImpl.Builder upsertBuilder(
            String spec, UpsertNetwork network, UpsertSendRetries retries) {
        // The SDK's builder type: only it takes a shared network bootstrap.
        UpsertSessionImpl.Builder builder =
                (UpsertSessionImpl.Builder)
                        tunnel.buildUpsertSession(config.project(), tableName)
                                .setSchemaName(schemaName());
        builder.setNettyBootStrap(network.bootstrap(tunnel.getConfig(), retries));
        if (!isBlank(spec)) {
            builder.setPartitionSpec(new PartitionSpec(spec));
        }
        return builder;
    }

    /** Builds the session; its bootstrap retries connections, so its pool must not as well. */
    private static UpsertSessionImpl build(UpsertSessionImpl.Builder builder) throws Exception {
        UpsertSessionImpl session = builder.build();
        // The pool's own immediate re-tries (3 by default) would multiply the bootstrap's attempts.
        session.getChannelPool().setRetryTimes(1);
        return session;
    }

    private Table table() {
        return odps.tables().get(config.project(), schemaName(), tableName);
    }

    private String schemaName() {
        return config.schema().orElse(null);
    }

    private static boolean isBlank(String spec) {
        return spec == null || spec.isBlank();
    }

    /**
     * 5xx answers and I/O errors are worth retrying; answers that name a user error (4xx, or an
     * error code such as NoSuchPartition when the SDK drops the status) are not.
     */
    static boolean isTransient(Throwable error) {
        boolean sawIo = false;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NoSuchObjectException) {
                return false;
            }
            if (t instanceof OdpsException) {
                OdpsException odpsError = (OdpsException) t;
                Integer status = odpsError.getStatus();
                if (status != null) {
                    return status >= 500 || status == 429;
                }
                if (isUserErrorCode(odpsError.getErrorCode())) {
                    return false;
                }
            }
            sawIo |= t instanceof IOException || t instanceof OdpsException;
            if (t.getCause() == t) {
                break;
            }
        }
        return sawIo;
    }

    private static boolean isUserErrorCode(String code) {
        return code != null
                && (code.startsWith("NoSuch")
                        || code.startsWith("Invalid")
                        || code.equals("StatusConflict")
                        || code.equals("AccessDenied")
                        || code.equals("SignatureNotMatch")
                        || code.equals("Unauthorized"));
    }

    /** Whether the service said the object (session, partition, table) does not exist. */
    public static boolean isNotFound(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NoSuchObjectException) {
                return true;
            }
            if (t instanceof OdpsException) {
                OdpsException odpsError = (OdpsException) t;
                String code = odpsError.getErrorCode();
                if ((odpsError.getStatus() != null && odpsError.getStatus() == 404)
                        || (code != null && code.startsWith("NoSuch"))) {
                    return true;
                }
            }
        }
        return false;
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = error.getMessage();
        return root == error || message == null ? String.valueOf(message) : message;
    }
}
