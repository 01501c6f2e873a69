package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** One MaxCompute table held by the {@link OdpsTestServer}: schema, partitions and rows. */
public final class ServerTable {

    private final String project;
    private final String schemaName;
    private final String name;
    private final TableSchema schema;
    private final List<String> primaryKey;
    private final String comment;
    private final long createdAtMillis = System.currentTimeMillis();
    private final Map<String, ServerPartition> partitions = new ConcurrentHashMap<>();

    ServerTable(
            String project,
            String schemaName,
            String name,
            TableSchema schema,
            List<String> primaryKey,
            String comment) {
        this.project = project;
        this.schemaName = schemaName;
        this.name = name;
        this.schema = schema;
        this.primaryKey = List.copyOf(primaryKey);
        this.comment = comment;
        if (!isPartitioned()) {
            partitions.put("", new ServerPartition(""));
        }
    }

    public String project() {
        return project;
    }

    public String schemaName() {
        return schemaName;
    }

    public String name() {
        return name;
    }

    public TableSchema schema() {
        return schema;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    public boolean isTransactional() {
        return !primaryKey.isEmpty();
    }

    public String comment() {
        return comment;
    }

    long createdAtMillis() {
        return createdAtMillis;
    }

    public boolean isPartitioned() {
        return !schema.getPartitionColumns().isEmpty();
    }

    /**
     * The partition for a spec (in any key order or separator MaxCompute accepts), or {@code null}.
     * An unpartitioned table has one partition under the empty spec.
     */
    public ServerPartition partition(String spec) {
        return partitions.get(canonicalSpec(spec));
    }

    /** The partition for the spec, created if missing. */
    public ServerPartition partitionOrCreate(String spec) {
        return partitions.computeIfAbsent(canonicalSpec(spec), ServerPartition::new);
    }

    public boolean dropPartition(String spec) {
        return partitions.remove(canonicalSpec(spec)) != null;
    }

    /** All partitions ordered by spec, as MaxCompute lists them. */
    public List<ServerPartition> partitions() {
        if (!isPartitioned()) {
            return List.of(partitions.get(""));
        }
        return Collections.unmodifiableList(new ArrayList<>(new TreeMap<>(partitions).values()));
    }

    public long rowCount() {
        long count = 0;
        for (ServerPartition partition : partitions.values()) {
            count += partition.rowCount();
        }
        return count;
    }

    /**
     * Validates a spec against the partition keys and renders it canonically ({@code k1=v1,k2=v2}
     * in key order, keys lower case).
     *
     * @throws IllegalArgumentException if the spec does not name exactly the partition keys
     */
    public String canonicalSpec(String spec) {
        if (!isPartitioned()) {
            if (spec != null && !spec.isBlank()) {
                throw new IllegalArgumentException(
                        "Table " + project + "." + name + " is not partitioned.");
            }
            return "";
        }
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "Table " + project + "." + name + " is partitioned; a partition is required.");
        }
        PartitionSpec parsed = new PartitionSpec(spec.replace('/', ','));
        List<Column> keys = schema.getPartitionColumns();
        if (parsed.keys().size() != keys.size()) {
            throw new IllegalArgumentException(
                    "Partition spec '"
                            + spec
                            + "' does not match the partition keys "
                            + keyNames());
        }
        StringBuilder out = new StringBuilder();
        for (Column key : keys) {
            String value = parsed.get(key.getName().toLowerCase(Locale.ROOT));
            if (value == null) {
                value = parsed.get(key.getName());
            }
            if (value == null) {
                throw new IllegalArgumentException(
                        "Partition spec '" + spec + "' lacks the partition key " + key.getName());
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(key.getName().toLowerCase(Locale.ROOT)).append('=').append(value);
        }
        return out.toString();
    }

    private List<String> keyNames() {
        List<String> names = new ArrayList<>();
        for (Column key : schema.getPartitionColumns()) {
            names.add(key.getName());
        }
        return names;
    }
}
