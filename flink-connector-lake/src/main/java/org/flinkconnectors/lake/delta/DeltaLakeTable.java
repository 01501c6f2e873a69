package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeCommit;
import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeRowKeySelector;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.core.LakeWriteResult;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.core.LakeWriterFactory;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;

import javax.annotation.Nullable;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Delta table behind the lake SPI. Planning is Kernel's scan (log replay, partition pruning and
 * file skipping by column statistics for the spec's filters); each data file becomes one split
 * whose payload is the {@link DeltaScanFile} form of its scan file row, deletion vector descriptor
 * and partition values included. Streaming reads walk the log with {@link DeltaHistory}.
 */
@Internal
final class DeltaLakeTable implements LakeTable {

    private final Engine engine;
    private final Snapshot latest;

    /** The last older version loaded: a stream's checks and planning ask for it in turn. */
    @Nullable private volatile Snapshot recent;

    private final String name;
    private final Map<String, String> hadoopProperties;

    DeltaLakeTable(
            Engine engine, Snapshot latest, String name, Map<String, String> hadoopProperties) {
        this.engine = engine;
        this.latest = latest;
        this.name = name;
        this.hadoopProperties = hadoopProperties;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public OptionalLong resolveVersion(LakeVersionSelector selector) {
        switch (selector.kind()) {
            case VERSION:
                return OptionalLong.of(snapshot(selector.version()).getVersion());
            case AS_OF_TIMESTAMP:
                return OptionalLong.of(versionAsOf(selector));
            case REF:
                throw new IllegalArgumentException(
                        "Delta tables have no tags or branches, so "
                                + selector
                                + " cannot be read; select a version or a timestamp instead");
            default:
                return OptionalLong.of(latest.getVersion());
        }
    }

    private long versionAsOf(LakeVersionSelector selector) {
        long millis = selector.timestampMillis();
        // As Iceberg's time travel does, a time after the last commit reads the latest version.
        if (millis >= latest.getTimestamp(engine)) {
            return latest.getVersion();
        }
        try {
            return TableManager.loadSnapshot(latest.getPath())
                    .atTimestamp(millis, latest)
                    .build(engine)
                    .getVersion();
        } catch (KernelException e) {
            throw new IllegalArgumentException(
                    "there is no version "
                            + selector
                            + " ("
                            + Instant.ofEpochMilli(millis)
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }

    /** The snapshot of a version, failing with the versions there are if it does not exist. */
    private Snapshot snapshot(long version) {
        if (version == latest.getVersion()) {
            return latest;
        }
        if (version < 0 || version > latest.getVersion()) {
            throw new IllegalArgumentException(
                    "version "
                            + version
                            + " does not exist; the latest version is "
                            + latest.getVersion());
        }
        Snapshot cached = recent;
        if (cached != null && cached.getVersion() == version) {
            return cached;
        }
        try {
            Snapshot loaded =
                    TableManager.loadSnapshot(latest.getPath()).atVersion(version).build(engine);
            recent = loaded;
            return loaded;
        } catch (KernelException e) {
            throw new IllegalArgumentException(
                    "version " + version + " cannot be read: " + e.getMessage(), e);
        }
    }

    private Snapshot snapshot(OptionalLong version) {
        return version.isPresent() ? snapshot(version.getAsLong()) : latest;
    }

    @Override
    public RowType producedType(OptionalLong version, LakeScanSpec spec) {
        return DeltaTypes.toRowType(
                readSchema(snapshot(version).getSchema(), spec.projectedFields()));
    }

    /** Physical names, which Kernel's readers match file columns by. */
    @Override
    public List<String> columnIds(OptionalLong version, LakeScanSpec spec) {
        return DeltaHistory.columnIds(
                readSchema(snapshot(version).getSchema(), spec.projectedFields()));
    }

    /**
     * The projected top-level columns in the requested order, as the fields of the version's schema
     * itself: their metadata carries the physical names and ids column mapping needs.
     */
    static StructType readSchema(StructType schema, @Nullable List<String> columns) {
        if (columns == null) {
            return schema;
        }
        List<StructField> fields = new ArrayList<>(columns.size());
        for (String column : columns) {
            int index = schema.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException(
                        "column '"
                                + column
                                + "' does not exist; the table has the columns "
                                + schema.fieldNames());
            }
            fields.add(schema.at(index));
        }
        return new StructType(fields);
    }

    private Scan scan(Snapshot snapshot, LakeScanSpec spec) {
        StructType schema = snapshot.getSchema();
        ScanBuilder builder =
                snapshot.getScanBuilder()
                        .withReadSchema(readSchema(schema, spec.projectedFields()));
        Optional<Predicate> filter = DeltaPredicates.toPredicate(spec.filters(), schema);
        if (filter.isPresent()) {
            builder = builder.withFilter(filter.get());
        }
        return builder.build();
    }

    @Override
    public List<LakeSplit> planSplits(long version, LakeScanSpec spec) throws IOException {
        Scan scan = scan(snapshot(version), spec);
        List<LakeSplit> splits = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> files = batches.next().getRows()) {
                    while (files.hasNext()) {
                        Row file = files.next();
                        String path = InternalScanFileUtils.getAddFileStatus(file).getPath();
                        String id = version + "-" + splits.size();
                        splits.add(
                                spec.changelog()
                                        ? insertSplit(id, version, path, file)
                                        : new LakeSplit(
                                                id, version, path, DeltaScanFile.encode(file), 0));
                    }
                }
            }
        }
        return splits;
    }

    /**
     * A file's live rows as the inserts a changelog read starts with, routed by partition like the
     * changes that follow.
     */
    private static LakeSplit insertSplit(String id, long version, String path, Row file)
            throws IOException {
        return LakeSplit.change(
                id,
                version,
                path,
                DeltaChangeTask.live(DeltaScanFile.encode(file)).toBytes(),
                LakeSplit.ChangePhase.INSERT,
                DeltaFileAction.routingKey(InternalScanFileUtils.getPartitionValues(file)));
    }

    @Override
    public List<LakeCommit> commitsAfter(OptionalLong afterVersion) throws IOException {
        return DeltaHistory.commitsAfter(engine, latest, name, afterVersion);
    }

    /**
     * Filters do not prune appended or changed files; see {@link DeltaHistory} and, for changelog
     * specs, {@link DeltaChangePlanner}.
     */
    @Override
    public LakeIncrement planIncrement(long version, LakeScanSpec spec) throws IOException {
        return DeltaHistory.planIncrement(engine, latest, name, version, spec);
    }

    @Override
    public LakeReaderFactory createReaderFactory(OptionalLong version, LakeScanSpec spec) {
        Snapshot snapshot = snapshot(version);
        return new DeltaReaderFactory(
                hadoopProperties,
                snapshot.getPath(),
                snapshot.getVersion(),
                scan(snapshot, spec).getScanState(engine));
    }

    /** Writes into the latest version's schema and partitioning; see {@link DeltaDataWriter}. */
    @Override
    public LakeWriterFactory createWriterFactory(RowType rowType, LakeWriteSpec spec) {
        return DeltaWriterFactory.create(engine, latest, name, hadoopProperties, rowType, spec);
    }

    @Override
    public Map<String, String> tableProperties() {
        return latest.getTableProperties();
    }

    /** Keys rows by the values of the latest version's partition columns. */
    @Override
    public List<String> partitionColumns() {
        return latest.getPartitionColumnNames();
    }

    @Override
    public Optional<KeySelector<RowData, Integer>> partitionKeySelector(RowType rowType) {
        List<String> columns = latest.getPartitionColumnNames();
        return columns.isEmpty()
                ? Optional.empty()
                : Optional.of(new LakeRowKeySelector(rowType, columns));
    }

    /** One version per checkpoint, idempotent by a Delta txn; see {@link DeltaCommitOperation}. */
    @Override
    public OptionalLong commit(List<LakeWriteResult> results, LakeCommitId commitId)
            throws IOException {
        return DeltaCommitOperation.commit(engine, latest.getPath(), name, results, commitId);
    }

    /** Static partition columns must be partition columns: Delta replaces whole files. */
    @Override
    public void checkOverwrite(LakeOverwrite overwrite) {
        List<String> partitionColumns = latest.getPartitionColumnNames();
        for (String column : overwrite.staticPartition().keySet()) {
            if (!partitionColumns.contains(column)) {
                throw new IllegalArgumentException(
                        "Static partition column '"
                                + column
                                + "' is not a partition column of "
                                + name
                                + "; its partition columns are "
                                + partitionColumns);
            }
        }
    }

    /** One version that adds the new files and removes the replaced ones, idempotent by txn. */
    @Override
    public OptionalLong commitOverwrite(
            List<LakeWriteResult> results, LakeCommitId commitId, LakeOverwrite overwrite)
            throws IOException {
        return DeltaCommitOperation.commit(
                engine, latest.getPath(), name, results, commitId, overwrite);
    }

    @Override
    public void close() {
        // The default engine holds no open resources between calls.
    }
}
