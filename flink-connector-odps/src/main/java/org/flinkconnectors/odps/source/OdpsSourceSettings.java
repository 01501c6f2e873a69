package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one {@link OdpsSource} reads and how, validated by {@link OdpsSourceBuilder#build()}:
 * connection, table, projection, partition choice, split size, record limit and, for unbounded
 * reads, the discovery interval and the policy for partitions that changed, and whether downloads
 * come as records or as Arrow batches. Immutable and serializable; the enumerator and the readers
 * get the same instance.
 */
@Internal
public final class OdpsSourceSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Marker for "no limit". */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    private final OdpsConnectionConfig connection;
    private final String table;
    @Nullable private final List<String> columns;
    private final PartitionSelector partitionSelector;
    private final long splitRows;
    private final long limit;
    @Nullable private final Duration discoveryInterval;
    private final PartitionChangePolicy partitionChangePolicy;
    private final boolean arrowDownloads;

    OdpsSourceSettings(
            OdpsConnectionConfig connection,
            String table,
            @Nullable List<String> columns,
            PartitionSelector partitionSelector,
            long splitRows,
            long limit,
            @Nullable Duration discoveryInterval,
            PartitionChangePolicy partitionChangePolicy,
            boolean arrowDownloads) {
        this.connection = connection;
        this.table = table;
        this.columns = columns == null ? null : List.copyOf(columns);
        this.partitionSelector = partitionSelector;
        this.splitRows = splitRows;
        this.limit = limit;
        this.discoveryInterval = discoveryInterval;
        this.partitionChangePolicy = partitionChangePolicy;
        this.arrowDownloads = arrowDownloads;
    }

    public OdpsConnectionConfig connection() {
        return connection;
    }

    public String table() {
        return table;
    }

    /** The projected data columns, or empty to read all data columns. */
    public Optional<List<String>> columns() {
        return Optional.ofNullable(columns);
    }

    public PartitionSelector partitionSelector() {
        return partitionSelector;
    }

    public long splitRows() {
        return splitRows;
    }

    /** The most records one reader emits, or {@link #NO_LIMIT}. */
    public long limit() {
        return limit;
    }

    /** How often an unbounded source looks for new partitions and rows; empty if bounded. */
    public Optional<Duration> discoveryInterval() {
        return Optional.ofNullable(discoveryInterval);
    }

    /** What an unbounded source does when a partition changed other than by appends. */
    public PartitionChangePolicy partitionChangePolicy() {
        return partitionChangePolicy;
    }

    /** Whether downloads come as Arrow record batches rather than tunnel records. */
    public boolean arrowDownloads() {
        return arrowDownloads;
    }

    public boolean isBounded() {
        return discoveryInterval == null;
    }

    @Override
    public String toString() {
        return "OdpsSourceSettings{connection="
                + connection
                + ", table="
                + table
                + ", columns="
                + (columns == null ? "all" : columns)
                + ", partitionSelector="
                + partitionSelector
                + ", splitRows="
                + splitRows
                + ", limit="
                + (limit == NO_LIMIT ? "none" : limit)
                + ", discoveryInterval="
                + (discoveryInterval == null ? "none (bounded)" : discoveryInterval)
                + ", partitionChangePolicy="
                + partitionChangePolicy
                + ", arrowDownloads="
                + arrowDownloads
                + '}';
    }
}
