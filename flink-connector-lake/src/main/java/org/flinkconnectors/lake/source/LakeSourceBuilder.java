package org.flinkconnectors.lake.source;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.source.reader.LakeRowLayout;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Builds a {@link LakeSource}; see there for an example. {@link #build()} opens the table once to
 * check the version and columns and to fix the produced row type (for time travel the schema of the
 * selected version), so a wrong table, column or version fails here, on the client, with a message
 * naming it rather than later in the job.
 *
 * <p>A streaming read of the rows appended from now on, looking for commits every 30 seconds:
 *
 * <pre>{@code
 * LakeSource<RowData> tail =
 *         LakeSource.builder()
 *                 .table(IcebergTableLoader.hadoop("/warehouse", "db", "orders"))
 *                 .streaming(LakeStartingPosition.latest())
 *                 .monitorInterval(Duration.ofSeconds(30))
 *                 .onRewrite(LakeRewritePolicy.SKIP)
 *                 .build();
 * }</pre>
 */
@PublicEvolving
public final class LakeSourceBuilder<T> {

    private LakeTableLoader tableLoader;
    private LakeScanSpec spec = LakeScanSpec.latest();
    private final LakeRowConverter<T> converter;
    private LakeStartingPosition streamingStart;
    @Nullable private LakeChangeRouting changeRouting;
    @Nullable private Long stopAfterVersion;
    private Duration monitorInterval;
    private LakeRewritePolicy onRewrite;
    private Integer maxPendingSplits;
    private List<LakeMetadataColumn> metadataColumns = List.of();
    private boolean keepReadColumns = true;
    private long limit = Long.MAX_VALUE;

    LakeSourceBuilder(LakeRowConverter<T> converter) {
        this.converter = converter;
    }

    /** The table to read, e.g. {@code IcebergTableLoader.hadoop(warehouse, "db", "t")}. */
    public LakeSourceBuilder<T> table(LakeTableLoader tableLoader) {
        this.tableLoader = Objects.requireNonNull(tableLoader, "tableLoader");
        return this;
    }

    /** What to read; the latest version's columns if not set. */
    public LakeSourceBuilder<T> scan(LakeScanSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        return this;
    }

    /**
     * Reads continuously: from {@code start} on, then the rows appended by every later commit. The
     * scan's version must be left at latest; the starting position says where to begin.
     */
    public LakeSourceBuilder<T> streaming(LakeStartingPosition start) {
        this.streamingStart = Objects.requireNonNull(start, "start");
        return this;
    }

    /**
     * Ends a streaming read after this version (an Iceberg snapshot id, a Delta version), which
     * makes it bounded: e.g. the changes between two versions, with {@link
     * LakeStartingPosition#version} as the start.
     */
    public LakeSourceBuilder<T> stopAfterVersion(long version) {
        this.stopAfterVersion = version;
        return this;
    }

    /**
     * Which reader reads which changes of a changelog read (a scan spec with {@link
     * LakeScanSpec#changelog()}); {@link LakeChangeRouting#ONE_READER} unless told otherwise.
     */
    public LakeSourceBuilder<T> changeRouting(LakeChangeRouting routing) {
        this.changeRouting = Objects.requireNonNull(routing, "routing");
        return this;
    }

    /**
     * How often a streaming read looks for new commits ({@code scan.commit-discovery.interval});
     * {@link LakeStreamingSpec#DEFAULT_MONITOR_INTERVAL} if not set.
     */
    public LakeSourceBuilder<T> monitorInterval(Duration interval) {
        this.monitorInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /**
     * What a streaming read does with a commit that deletes or rewrites rows ({@code
     * scan.on-rewrite}); {@link LakeRewritePolicy#FAIL} if not set.
     */
    public LakeSourceBuilder<T> onRewrite(LakeRewritePolicy policy) {
        this.onRewrite = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * A streaming read stops looking for new commits while this many planned splits wait for a
     * reader ({@code scan.max-pending-splits}), so readers that lag do not fill the enumerator's
     * memory and checkpoints; it goes on from where it stopped once they take splits. {@link
     * LakeStreamingSpec#DEFAULT_MAX_PENDING_SPLITS} if not set. One commit's splits are planned
     * together, so the splits waiting may exceed the bound by one commit's.
     */
    public LakeSourceBuilder<T> maxPendingSplits(int splits) {
        if (splits < 1) {
            throw new IllegalArgumentException(
                    "The maximum of pending splits must be positive, got " + splits);
        }
        this.maxPendingSplits = splits;
        return this;
    }

    /**
     * Appends these columns, in this order, to every row: where the row came from. Their values are
     * the same for all rows of a split, so they add no reading.
     */
    public LakeSourceBuilder<T> metadataColumns(List<LakeMetadataColumn> columns) {
        if (columns.stream().distinct().count() != columns.size()) {
            throw new IllegalArgumentException("Metadata columns must be distinct: " + columns);
        }
        this.metadataColumns = List.copyOf(columns);
        return this;
    }

    /**
     * Emits the metadata columns only: the scan still reads (at least) one column, since formats
     * cannot read none, but its values are dropped. For queries such as {@code SELECT DISTINCT
     * file_path}.
     */
    public LakeSourceBuilder<T> metadataColumnsOnly(List<LakeMetadataColumn> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("Name at least one metadata column to emit.");
        }
        metadataColumns(columns);
        this.keepReadColumns = false;
        return this;
    }

    /**
     * Each reader stops after this many rows: the file it is reading is closed and the files of the
     * splits it gets later are never opened. A parallel source reads up to {@code rows} per reader,
     * so the consumer still has to cut the stream (a SQL {@code LIMIT} does).
     */
    public LakeSourceBuilder<T> limit(long rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("The limit must not be negative, got " + rows);
        }
        this.limit = rows;
        return this;
    }

    /** Emits the elements the converter makes of each row instead of the rows. */
    public <N> LakeSourceBuilder<N> converter(LakeRowConverter<N> converter) {
        LakeSourceBuilder<N> typed = new LakeSourceBuilder<>(Objects.requireNonNull(converter));
        typed.tableLoader = tableLoader;
        typed.spec = spec;
        typed.streamingStart = streamingStart;
        typed.monitorInterval = monitorInterval;
        typed.onRewrite = onRewrite;
        typed.maxPendingSplits = maxPendingSplits;
        typed.changeRouting = changeRouting;
        typed.stopAfterVersion = stopAfterVersion;
        typed.metadataColumns = metadataColumns;
        typed.keepReadColumns = keepReadColumns;
        typed.limit = limit;
        return typed;
    }

    public LakeSource<T> build() {
        if (tableLoader == null) {
            throw new IllegalStateException("No table set: call table(...) before build().");
        }
        LakeStreamingSpec streaming = streamingSpec();
        try (LakeTable table = tableLoader.load()) {
            OptionalLong version = table.resolveVersion(spec.version());
            if (streaming != null
                    && streaming.start().kind() == LakeStartingPosition.Kind.VERSION) {
                table.resolveVersion(LakeVersionSelector.version(streaming.start().version()));
            }
            if (streaming != null && streaming.stopAfterVersion() != null) {
                table.resolveVersion(LakeVersionSelector.version(streaming.stopAfterVersion()));
            }
            return new LakeSource<>(
                    tableLoader,
                    spec,
                    new LakeRowLayout(
                            table.producedType(version, spec), metadataColumns, keepReadColumns),
                    table.createReaderFactory(version, spec),
                    converter,
                    streaming,
                    limit,
                    table.columnIds(version, spec));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open " + tableLoader.describe(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Cannot read " + tableLoader.describe() + ": " + e.getMessage(), e);
        }
    }

    private LakeStreamingSpec streamingSpec() {
        if (streamingStart == null) {
            if (spec.changelog()) {
                throw new IllegalStateException(
                        "A changelog read follows the table's history: call streaming(...) too.");
            }
            if (monitorInterval != null
                    || onRewrite != null
                    || maxPendingSplits != null
                    || changeRouting != null
                    || stopAfterVersion != null) {
                throw new IllegalStateException(
                        "The monitor interval, the rewrite policy, the maximum of pending"
                                + " splits, the change routing and the stop version apply to"
                                + " streaming reads: call streaming(...) too.");
            }
            return null;
        }
        if (spec.version().kind() != LakeVersionSelector.Kind.LATEST) {
            throw new IllegalArgumentException(
                    "A streaming read starts at its starting position ("
                            + streamingStart
                            + "), not at the scan's "
                            + spec.version()
                            + "; leave the scan's version unset, or start with"
                            + " LakeStartingPosition.version(...) or timestamp(...).");
        }
        if (stopAfterVersion != null
                && streamingStart.kind() != LakeStartingPosition.Kind.VERSION
                && streamingStart.kind() != LakeStartingPosition.Kind.TIMESTAMP) {
            throw new IllegalArgumentException(
                    "A read that stops after version "
                            + stopAfterVersion
                            + " starts at a version or a time, not at "
                            + streamingStart
                            + ".");
        }
        return new LakeStreamingSpec(
                streamingStart,
                monitorInterval == null
                        ? LakeStreamingSpec.DEFAULT_MONITOR_INTERVAL
                        : monitorInterval,
                onRewrite == null ? LakeRewritePolicy.FAIL : onRewrite,
                maxPendingSplits == null
                        ? LakeStreamingSpec.DEFAULT_MAX_PENDING_SPLITS
                        : maxPendingSplits,
                changeRouting == null ? LakeChangeRouting.ONE_READER : changeRouting,
                stopAfterVersion);
    }
}
