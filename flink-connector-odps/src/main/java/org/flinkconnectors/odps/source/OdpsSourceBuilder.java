package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds an {@link OdpsSource}. Connection, table and deserializer are required; without a
 * discovery interval the source is bounded and reads the selected partitions as they are when the
 * job starts.
 *
 * <pre>{@code
 * OdpsSource<String> source =
 *         OdpsSource.<String>builder()
 *                 .setConnection(connection)
 *                 .setTable("events")
 *                 .setColumns(List.of("id", "payload"))
 *                 .setDiscoveryInterval(Duration.ofMinutes(1))
 *                 .setDeserializer(new EventDeserializer())
 *                 .build();
 * }</pre>
 *
 * @param <OUT> the type of the produced elements
 */
@PublicEvolving
public class OdpsSourceBuilder<OUT> {

    /**
     * One million rows: a split is one download stream, so a few hundred MB for typical rows and
     * seconds to a minute of reading. That keeps the enumerator round trips and stream setups
     * negligible while a large partition still spreads over many readers, and the last split of a
     * job stays short.
     */
    public static final long DEFAULT_SPLIT_ROWS = 1_000_000L;

    private OdpsConnectionConfig connection;
    private String table;
    @Nullable private List<String> columns;
    private PartitionSelector partitionSelector = PartitionSelector.all();
    private long splitRows = DEFAULT_SPLIT_ROWS;
    private long limit = OdpsSourceSettings.NO_LIMIT;
    @Nullable private Duration discoveryInterval;
    private PartitionChangePolicy partitionChangePolicy = PartitionChangePolicy.FAIL;
    private OdpsRecordDeserializer<OUT> deserializer;
    private boolean arrowDownloads;

    OdpsSourceBuilder() {}

    /** Where and as whom to connect. Required. */
    public OdpsSourceBuilder<OUT> setConnection(OdpsConnectionConfig connection) {
        this.connection = connection;
        return this;
    }

    /** The table's name, in the connection's project (and schema). Required. */
    public OdpsSourceBuilder<OUT> setTable(String table) {
        this.table = table;
        return this;
    }

    /**
     * The data columns to read, pushed into the tunnel download ({@code columns=...}) so only they
     * travel; records then hold exactly these columns, in this order. {@code null} (the default)
     * reads all data columns. Partition columns are not data columns: their values come from the
     * partition spec passed to the deserializer. An empty list reads no data column.
     */
    public OdpsSourceBuilder<OUT> setColumns(@Nullable List<String> dataColumns) {
        this.columns = dataColumns == null ? null : new ArrayList<>(dataColumns);
        return this;
    }

    /** Which partitions to read; default {@link PartitionSelector#all()}. */
    public OdpsSourceBuilder<OUT> setPartitionSelector(PartitionSelector selector) {
        this.partitionSelector = selector;
        return this;
    }

    /**
     * The most rows per split, default {@value #DEFAULT_SPLIT_ROWS}. Smaller splits spread a
     * partition over more readers and balance better; larger ones mean fewer download streams.
     * Splits are also the unit the enumerator hands out, so readers that read faster take more.
     */
    public OdpsSourceBuilder<OUT> setSplitRows(long rowsPerSplit) {
        this.splitRows = rowsPerSplit;
        return this;
    }

    /**
     * The former name of {@link #setSplitRows}.
     *
     * @deprecated the size is in rows: use {@link #setSplitRows}
     */
    @Deprecated
    public OdpsSourceBuilder<OUT> setSplitSize(long rowsPerSplit) {
        return setSplitRows(rowsPerSplit);
    }

    /**
     * Stops reading after {@code maxRecords} elements. The limit applies to each reader (parallel
     * subtask), which is what a pushed-down SQL {@code LIMIT} needs: the planner keeps the exact
     * limit on top and the source avoids reading the rest of the table.
     */
    public OdpsSourceBuilder<OUT> setLimit(long maxRecords) {
        this.limit = maxRecords;
        return this;
    }

    /**
     * Makes the source unbounded: every {@code interval} it lists the partitions, applies the
     * selector and reads new partitions and rows appended to known ones. {@code null} (the default)
     * makes it bounded.
     */
    public OdpsSourceBuilder<OUT> setDiscoveryInterval(@Nullable Duration interval) {
        this.discoveryInterval = interval;
        return this;
    }

    /**
     * What an unbounded source does when a partition it already read changed other than by appended
     * rows (overwritten, truncated, merged): {@link PartitionChangePolicy#FAIL} (the default) or
     * {@link PartitionChangePolicy#REREAD}.
     */
    public OdpsSourceBuilder<OUT> setPartitionChangePolicy(PartitionChangePolicy policy) {
        this.partitionChangePolicy = policy;
        return this;
    }

    /** Turns records into elements. Required. */
    public OdpsSourceBuilder<OUT> setDeserializer(OdpsRecordDeserializer<OUT> deserializer) {
        this.deserializer = deserializer;
        return this;
    }

    /**
     * Downloads Apache Arrow record batches instead of tunnel records (default false). The
     * deserializer must then be an {@link ArrowBatchDeserializer}, which turns a batch into
     * elements column by column.
     */
    public OdpsSourceBuilder<OUT> setArrowDownloads(boolean arrowDownloads) {
        this.arrowDownloads = arrowDownloads;
        return this;
    }

    /**
     * Checks the settings and builds the source.
     *
     * @throws IllegalArgumentException naming the setting that is missing or invalid
     */
    public OdpsSource<OUT> build() {
        require(
                connection != null,
                "setConnection(...) is required: endpoint, project, credentials.");
        require(table != null && !table.isBlank(), "setTable(...) is required: the table to read.");
        require(
                deserializer != null,
                "setDeserializer(...) is required: it turns MaxCompute records into elements.");
        require(partitionSelector != null, "setPartitionSelector(...) must not be null.");
        require(partitionChangePolicy != null, "setPartitionChangePolicy(...) must not be null.");
        require(splitRows > 0, "setSplitRows(...) must be positive, but is " + splitRows + ".");
        require(limit >= 0, "setLimit(...) must be 0 or more, but is " + limit + ".");
        require(
                discoveryInterval == null
                        || !(discoveryInterval.isNegative() || discoveryInterval.isZero()),
                "setDiscoveryInterval(...) must be positive, or null for a bounded source, but is "
                        + discoveryInterval
                        + ".");
        if (columns != null) {
            Set<String> seen = new HashSet<>();
            for (String column : columns) {
                require(
                        column != null && !column.isBlank(),
                        "setColumns(...) contains a null or blank column name: " + columns + ".");
                require(
                        seen.add(column.trim().toLowerCase(Locale.ROOT)),
                        "setColumns(...) names column '" + column + "' twice: " + columns + ".");
            }
        }
        require(
                !arrowDownloads || deserializer instanceof ArrowBatchDeserializer,
                "setArrowDownloads(true) needs a deserializer that implements"
                        + " ArrowBatchDeserializer, but "
                        + deserializer
                        + " does not.");
        return new OdpsSource<>(
                new OdpsSourceSettings(
                        connection,
                        table.trim(),
                        columns,
                        partitionSelector,
                        splitRows,
                        limit,
                        discoveryInterval,
                        partitionChangePolicy,
                        arrowDownloads),
                deserializer);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
