package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.data.Record;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One upsert session of the {@link OdpsTestServer} on a primary-key table (or one partition of it):
 * the buckets the table's rows hash into, grouped into slots as the service assigns them, and the
 * upserts and deletes received so far, in arrival order. Commit applies them by primary key;
 * nothing is visible before.
 */
final class ServerUpsertSession {

    static final String NORMAL = "normal";
    static final String COMMITTED = "committed";
    static final String ABORTED = "aborted";
    static final String EXPIRED = "expired";

    /** The buckets every session of the server has; the SDK routes a row to one by its key hash. */
    static final int BUCKETS = 4;

    /** The hash function version the SDK applies to the key columns ({@code TypeHasher}). */
    static final String HASHER = "default";

    final String id;
    final ServerTable table;
    final String partition;

    /** The partition the session was opened on; a partition recreated under its spec is another. */
    final ServerPartition partitionInstance;

    private final int slots;
    private final long expiresAtMillis;
    private final List<Change> changes = new ArrayList<>();
    private String status = NORMAL;

    ServerUpsertSession(
            String id,
            ServerTable table,
            ServerPartition partition,
            int requestedSlots,
            long expiresAtMillis) {
        this.id = id;
        this.table = table;
        this.partition = partition.spec();
        this.partitionInstance = partition;
        this.slots = Math.max(1, Math.min(requestedSlots, BUCKETS));
        this.expiresAtMillis = expiresAtMillis;
    }

    /** An open session at the end of its lifetime expires; a committed one stays committed. */
    synchronized void expireIfDue(long nowMillis) {
        if (status.equals(NORMAL) && nowMillis >= expiresAtMillis) {
            changes.clear();
            status = EXPIRED;
        }
    }

    synchronized String status() {
        return status;
    }

    synchronized void setStatus(String status) {
        this.status = status;
    }

    /** The slot that owns a bucket: buckets are dealt round-robin over the slots. */
    static String slotOf(int bucket, int slots) {
        return String.valueOf(bucket % slots);
    }

    String slotOf(int bucket) {
        return slotOf(bucket, slots);
    }

    /**
     * The worker a slot lives on, as {@code ip:port}: the SDK only echoes it in the routed-server
     * header of data requests (they all go to the tunnel endpoint), so it names no real host.
     */
    static String workerOf(String slot) {
        return "10.0.0." + (Integer.parseInt(slot) + 1) + ":8080";
    }

    /** Adds the changes of one data request, unless the session stopped taking data. */
    synchronized void add(List<Change> received) {
        requireNormal("write to");
        changes.addAll(received);
    }

    /** Discards what was received; the session takes no more data. */
    synchronized void abort() {
        changes.clear();
        status = ABORTED;
    }

    /** The changes in arrival order, and the session marked committed, in one step. */
    synchronized List<Change> takeForCommit() {
        requireNormal("commit");
        List<Change> taken = new ArrayList<>(changes);
        changes.clear();
        status = COMMITTED;
        return taken;
    }

    synchronized int changeCount() {
        return changes.size();
    }

    private void requireNormal(String action) {
        if (!status.equals(NORMAL)) {
            throw ServerException.conflict(
                    "StatusConflict",
                    "Cannot " + action + " upsert session " + id + ": it is " + status + ".");
        }
    }

    synchronized JsonObject json() {
        JsonObject json = new JsonObject();
        json.addProperty("id", id);
        json.add("schema", TunnelFormats.schemaJson(table.schema()));
        JsonArray hashKey = new JsonArray();
        table.primaryKey().forEach(hashKey::add);
        json.add("hash_key", hashKey);
        json.addProperty("hasher", HASHER);
        JsonArray slotList = new JsonArray();
        for (int slot = 0; slot < slots; slot++) {
            JsonObject slotJson = new JsonObject();
            slotJson.addProperty("slot_id", String.valueOf(slot));
            JsonArray buckets = new JsonArray();
            for (int bucket = slot; bucket < BUCKETS; bucket += slots) {
                buckets.add(bucket);
            }
            slotJson.add("buckets", buckets);
            slotJson.addProperty("worker_addr", workerOf(String.valueOf(slot)));
            slotList.add(slotJson);
        }
        json.add("slots", slotList);
        json.addProperty("status", status);
        json.addProperty("quota_name", "");
        json.addProperty("enable_partial_update", false);
        return json;
    }

    /** One received upsert (the whole row) or delete (the key columns matter). */
    static final class Change {
        final boolean delete;
        final Record row;

        Change(boolean delete, Record row) {
            this.delete = delete;
            this.row = row;
        }
    }
}
