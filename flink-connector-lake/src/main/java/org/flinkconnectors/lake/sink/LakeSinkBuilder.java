package org.flinkconnectors.lake.sink;

import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakeRowKeySelector;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.core.LakeWriterFactory;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Builds a {@link LakeSink}; see there for an example. {@link #build()} opens the table once to
 * check that the rows fit its schema and to prepare the writers, so a wrong table or column fails
 * here, on the client, with a message naming it.
 */
@PublicEvolving
public final class LakeSinkBuilder {

    private LakeTableLoader tableLoader;
    private RowType rowType;
    private Long targetFileSizeBytes;
    private Long bufferMemoryBytes;
    @Nullable private LakeOverwrite overwrite;
    private List<String> primaryKey = List.of();
    @Nullable private LakeDistributionMode distributionMode;

    LakeSinkBuilder() {}

    /** The table to write, e.g. {@code IcebergTableLoader.hadoop(warehouse, "db", "t")}. */
    public LakeSinkBuilder table(LakeTableLoader tableLoader) {
        this.tableLoader = Objects.requireNonNull(tableLoader, "tableLoader");
        return this;
    }

    /** The type of the incoming rows; the table's current columns if not set. */
    public LakeSinkBuilder rowType(RowType rowType) {
        this.rowType = Objects.requireNonNull(rowType, "rowType");
        return this;
    }

    /** The size at which a writer rolls to a new file; the table's own setting if not set. */
    public LakeSinkBuilder targetFileSizeBytes(long bytes) {
        this.targetFileSizeBytes = bytes;
        return this;
    }

    /**
     * The memory one writer subtask may buffer over all partitions it writes: when the buffers hold
     * more, the largest is written out as a file at once. Delta only (its writers buffer a file's
     * rows before writing it); default: the target file size, so one partition still fills whole
     * files. Iceberg's writers stream rows into their open files and refuse the setting.
     */
    public LakeSinkBuilder bufferMemoryBytes(long bytes) {
        this.bufferMemoryBytes = bytes;
        return this;
    }

    /**
     * Replace instead of append: the partitions written (all rows of an unpartitioned table). For
     * bounded jobs in batch mode, which commit once; with checkpoints every commit replaces.
     */
    public LakeSinkBuilder overwrite(boolean overwrite) {
        this.overwrite = overwrite ? LakeOverwrite.dynamic() : null;
        return this;
    }

    /** Replace what {@code overwrite} covers, e.g. one static partition; see {@link #overwrite}. */
    public LakeSinkBuilder overwrite(LakeOverwrite overwrite) {
        this.overwrite = Objects.requireNonNull(overwrite, "overwrite");
        return this;
    }

    /**
     * Upsert by these columns instead of appending: the input is an upsert changelog ({@code
     * INSERT}, {@code UPDATE_AFTER} and {@code DELETE} replace or remove the row of their key;
     * {@code UPDATE_BEFORE} is ignored), keyed by the columns before the writers. Needs a format
     * that can upsert (Iceberg v2 tables) and cannot be combined with {@link #overwrite}.
     */
    public LakeSinkBuilder primaryKey(List<String> columns) {
        this.primaryKey = List.copyOf(Objects.requireNonNull(columns, "columns"));
        return this;
    }

    /**
     * How rows reach the writers. If not set: {@link LakeDistributionMode#HASH} if the table asks
     * for it (Iceberg: {@code write.distribution-mode} other than {@code none}, as Iceberg's own
     * Flink sink does), otherwise {@link LakeDistributionMode#NONE}.
     */
    public LakeSinkBuilder distributionMode(LakeDistributionMode mode) {
        this.distributionMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    public LakeSink build() {
        if (tableLoader == null) {
            throw new IllegalArgumentException("The table to write is required: call table(...).");
        }
        LakeWriteSpec spec = new LakeWriteSpec(targetFileSizeBytes, bufferMemoryBytes);
        try (LakeTable table = tableLoader.load()) {
            RowType rows =
                    rowType != null
                            ? rowType
                            : table.producedType(OptionalLong.empty(), LakeScanSpec.latest());
            if (!primaryKey.isEmpty()) {
                return upsertSink(table, rows, spec);
            }
            LakeWriterFactory writers = table.createWriterFactory(rows, spec);
            if (overwrite != null) {
                table.checkOverwrite(overwrite);
            }
            KeySelector<RowData, Integer> partitionKey =
                    hashDistribution(table) ? table.partitionKeySelector(rows).orElse(null) : null;
            return new LakeSink(tableLoader, writers, overwrite, partitionKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open " + tableLoader.describe(), e);
        }
    }

    private boolean hashDistribution(LakeTable table) {
        return distributionMode != null
                ? distributionMode == LakeDistributionMode.HASH
                : table.prefersHashDistribution();
    }

    private LakeSink upsertSink(LakeTable table, RowType rows, LakeWriteSpec spec) {
        if (overwrite != null) {
            throw new IllegalArgumentException(
                    "Overwriting "
                            + table.name()
                            + " with a primary key "
                            + primaryKey
                            + " is not supported: an upsert replaces rows by key, an overwrite"
                            + " by partition. Upsert (INSERT INTO) or overwrite without a key.");
        }
        LakeWriterFactory writers = table.createUpsertWriterFactory(rows, spec, primaryKey);
        return new LakeSink(tableLoader, writers, null, new LakeRowKeySelector(rows, primaryKey));
    }
}
