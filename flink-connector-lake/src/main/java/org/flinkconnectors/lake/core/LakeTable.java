package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An open table of some format, the SPI a format binding implements. Versions are longs: an Iceberg
 * snapshot id or a Delta table version.
 *
 * <p>The life of a bounded scan: the source's builder {@link #resolveVersion resolves} the version
 * once, asks for the {@link #producedType produced type} and a serializable {@link
 * #createReaderFactory reader factory} for the task managers; the enumerator later {@link
 * #planSplits plans} the version's files into splits. Format-specific detail (Iceberg delete files,
 * Delta deletion vectors and column mapping) stays in the split's payload and the reader factory.
 *
 * <p>A streaming read also walks the history: it lists the {@link #commitsAfter commits after} the
 * last version it read and {@link #planIncrement plans each one's increment}, the splits of the
 * files it appended and whether it did anything an append stream cannot express.
 *
 * <p>A sink {@link #createWriterFactory writes} files on the task managers and {@link #commit
 * commits} the files of each checkpoint as one new version, exactly once per {@link LakeCommitId}.
 */
@PublicEvolving
public interface LakeTable extends Closeable {

    /** The table's name for messages. */
    String name();

    /**
     * The version the selector points at, or empty if the table has no version yet (an Iceberg
     * table without snapshots). Fails with an {@link IllegalArgumentException} naming the selector
     * if it points at nothing (an unknown snapshot, a time before the first commit).
     */
    OptionalLong resolveVersion(LakeVersionSelector selector);

    /**
     * The rows a scan produces: the projected columns of the version's schema, or of the current
     * schema if {@code version} is empty. Fails naming the column if a projected one is unknown.
     */
    RowType producedType(OptionalLong version, LakeScanSpec spec);

    /**
     * What data files store each column of {@link #producedType} under, in the same order: an
     * identity that a rename keeps and a drop retires (Iceberg field ids, Delta physical names
     * under column mapping, otherwise the names). A streaming read compares its columns' identities
     * with those of each later version to tell a renamed column, which it keeps reading, from a
     * dropped one.
     */
    default List<String> columnIds(OptionalLong version, LakeScanSpec spec) {
        return producedType(version, spec).getFieldNames();
    }

    /** Plans the files of a version, pruned by the spec's filters, into splits. */
    List<LakeSplit> planSplits(long version, LakeScanSpec spec) throws IOException;

    /**
     * The versions committed after {@code afterVersion}, oldest first, up to the latest: for
     * Iceberg the ancestors of the current snapshot, for Delta the later versions of the log. With
     * {@code afterVersion} empty, all of the history still known (expired or cleaned-up versions
     * are not). Fails with an {@link IllegalStateException} naming the version if the versions
     * after it can no longer be told (they expired, or the table was rolled back past it).
     */
    default List<LakeCommit> commitsAfter(OptionalLong afterVersion) throws IOException {
        throw new UnsupportedOperationException(name() + " cannot be read as a stream.");
    }

    /**
     * What one version changed: for an append, the splits of exactly the files it added, pruned by
     * the spec's filters and without row deletes of later versions; for other versions only their
     * kind and operation. Fails with an {@link IllegalArgumentException} for an unknown version.
     */
    default LakeIncrement planIncrement(long version, LakeScanSpec spec) throws IOException {
        throw new UnsupportedOperationException(name() + " cannot be read as a stream.");
    }

    /** The factory the source readers use to read splits of this table as the spec says. */
    LakeReaderFactory createReaderFactory(OptionalLong version, LakeScanSpec spec);

    /**
     * The factory the sink's writers use to write rows of {@code rowType} into new data files of
     * this table. Fails with an {@link IllegalArgumentException} naming the column if the rows do
     * not fit the table's schema.
     */
    default LakeWriterFactory createWriterFactory(RowType rowType, LakeWriteSpec spec) {
        throw new UnsupportedOperationException(name() + " cannot be written to.");
    }

    /**
     * The factory the sink's writers use to write an upsert changelog keyed by {@code keyColumns}
     * (inserts and updates replace the row of their key, deletes remove it; {@code UPDATE_BEFORE}
     * rows are ignored): data files plus delete files, committed together by {@link #commit}. The
     * sink routes all rows of a key to the same writer. Fails with an {@link
     * UnsupportedOperationException} if the format cannot upsert, or an {@link
     * IllegalArgumentException} naming the problem if this table cannot (e.g. its version or
     * partitioning).
     */
    default LakeWriterFactory createUpsertWriterFactory(
            RowType rowType, LakeWriteSpec spec, List<String> keyColumns) {
        throw new UnsupportedOperationException(name() + " cannot be upserted.");
    }

    /**
     * Keys rows of {@code rowType} by the partition of this table they belong to, so a sink can
     * send each partition to one writer; empty if the table is unpartitioned (or the format cannot
     * tell). Equal partitions give equal keys in every JVM.
     */
    default Optional<KeySelector<RowData, Integer>> partitionKeySelector(RowType rowType) {
        return Optional.empty();
    }

    /**
     * The columns the latest version's data files are partitioned by (for Iceberg the source
     * columns of every partition field of any spec still in use, for Delta the partition columns);
     * empty if unpartitioned.
     */
    List<String> partitionColumns();

    /** The table's properties (Iceberg's table properties, Delta's configuration). */
    Map<String, String> tableProperties();

    /**
     * Whether the table itself asks writers to key rows by partition when the sink is not told
     * (Iceberg: table property {@code write.distribution-mode} = {@code hash} or {@code range}).
     */
    default boolean prefersHashDistribution() {
        return false;
    }

    /**
     * Commits the written files as one new version, idempotently: if the table already has a
     * version committed by the same job and operator for this checkpoint or a later one, nothing is
     * committed. Concurrent commits of other writers are retried a bounded number of times.
     *
     * @return the committed version, or empty if there was nothing to commit or the id was already
     *     committed
     */
    default OptionalLong commit(List<LakeWriteResult> results, LakeCommitId commitId)
            throws IOException {
        throw new UnsupportedOperationException(name() + " cannot be written to.");
    }

    /**
     * Fails with an {@link UnsupportedOperationException} if this table cannot {@link
     * #commitOverwrite commit overwrites}, or with an {@link IllegalArgumentException} naming the
     * column if the static partition does not fit the table; checked on the client.
     */
    default void checkOverwrite(LakeOverwrite overwrite) {
        throw new UnsupportedOperationException(name() + " cannot be overwritten.");
    }

    /**
     * Commits the written files as one new version that replaces what {@code overwrite} covers,
     * idempotently as {@link #commit} does. Commits even without files when the overwrite covers a
     * static partition or an unpartitioned table, which then lose their rows.
     *
     * @return the committed version, or empty if there was nothing to replace or the id was already
     *     committed
     */
    default OptionalLong commitOverwrite(
            List<LakeWriteResult> results, LakeCommitId commitId, LakeOverwrite overwrite)
            throws IOException {
        throw new UnsupportedOperationException(name() + " cannot be overwritten.");
    }
}
