package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.types.logical.RowType;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
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

    /** Plans the files of a version, pruned by the spec's filters, into splits. */
    List<LakeSplit> planSplits(long version, LakeScanSpec spec) throws IOException;

    /** The factory the source readers use to read splits of this table as the spec says. */
    LakeReaderFactory createReaderFactory(OptionalLong version, LakeScanSpec spec);
}
