package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeCommit;
import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeReaderFactory;
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

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.ScanTaskParser;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.iceberg.util.TableScanUtil;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An Iceberg table behind the lake SPI. Planning is Iceberg's own {@link TableScan} (manifest and
 * partition pruning, column-statistics file skipping, delete-file matching) split into byte ranges
 * of the spec's split size; each split's payload is Iceberg's JSON form of the {@link
 * FileScanTask}, which keeps the delete files, the partition spec and the residual filter.
 *
 * <p>With a {@link LakeScanSpec#changelog() changelog} spec, increments are planned by {@link
 * IcebergChangePlanner} into change splits ({@link IcebergChangeTask} payloads) that the reader
 * factory emits with their row kinds.
 */
@Internal
final class IcebergLakeTable implements LakeTable {

    private final Table table;
    private final String name;
    private final Closeable catalog;
    private final IcebergPlanningExecutor planning = new IcebergPlanningExecutor();

    IcebergLakeTable(Table table, String name, Closeable catalog) {
        this.table = table;
        this.name = name;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public OptionalLong resolveVersion(LakeVersionSelector selector) {
        switch (selector.kind()) {
            case VERSION:
                if (table.snapshot(selector.version()) == null) {
                    throw new IllegalArgumentException(
                            "snapshot id "
                                    + selector.version()
                                    + " does not exist; known snapshot ids: "
                                    + knownSnapshotIds());
                }
                return OptionalLong.of(selector.version());
            case AS_OF_TIMESTAMP:
                Snapshot first = firstSnapshot();
                if (first == null || first.timestampMillis() > selector.timestampMillis()) {
                    throw new IllegalArgumentException(
                            "there is no snapshot "
                                    + selector
                                    + "; the first snapshot was committed "
                                    + (first == null
                                            ? "never"
                                            : "at "
                                                    + java.time.Instant.ofEpochMilli(
                                                            first.timestampMillis())));
                }
                return OptionalLong.of(
                        SnapshotUtil.snapshotIdAsOfTime(table, selector.timestampMillis()));
            case REF:
                SnapshotRef ref = table.refs().get(selector.refName());
                if (ref == null) {
                    throw new IllegalArgumentException(
                            "there is no tag or branch named '"
                                    + selector.refName()
                                    + "'; known: "
                                    + table.refs().keySet());
                }
                return OptionalLong.of(ref.snapshotId());
            default:
                Snapshot current = table.currentSnapshot();
                return current == null
                        ? OptionalLong.empty()
                        : OptionalLong.of(current.snapshotId());
        }
    }

    private Snapshot firstSnapshot() {
        Snapshot first = null;
        for (Snapshot snapshot : table.snapshots()) {
            if (first == null || snapshot.timestampMillis() < first.timestampMillis()) {
                first = snapshot;
            }
        }
        return first;
    }

    private List<Long> knownSnapshotIds() {
        List<Long> ids = new ArrayList<>();
        table.snapshots().forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    @Override
    public RowType producedType(OptionalLong version, LakeScanSpec spec) {
        return FlinkSchemaUtil.convert(projectedSchema(tableSchema(version, spec), spec));
    }

    /** Field ids, which Iceberg's readers match file columns by. */
    @Override
    public List<String> columnIds(OptionalLong version, LakeScanSpec spec) {
        return IcebergHistory.columnIds(projectedSchema(tableSchema(version, spec), spec));
    }

    /**
     * The schema rows of a version are read with: the current schema for the latest version and
     * branches (their writers follow the table's schema), the snapshot's own schema when travelling
     * back to a snapshot id, a time or a tag, as Iceberg's engines do.
     */
    private Schema tableSchema(OptionalLong version, LakeScanSpec spec) {
        LakeVersionSelector selector = spec.version();
        boolean travelled =
                version.isPresent()
                        && (selector.kind() == LakeVersionSelector.Kind.VERSION
                                || selector.kind() == LakeVersionSelector.Kind.AS_OF_TIMESTAMP
                                || (selector.kind() == LakeVersionSelector.Kind.REF
                                        && table.refs().get(selector.refName()).isTag()));
        if (!travelled) {
            return table.schema();
        }
        Integer schemaId = table.snapshot(version.getAsLong()).schemaId();
        Schema schema = schemaId == null ? null : table.schemas().get(schemaId);
        return schema == null ? table.schema() : schema;
    }

    /** The projected top-level columns in the requested order, keeping their field ids. */
    private Schema projectedSchema(Schema schema, LakeScanSpec spec) {
        List<String> fields = spec.projectedFields();
        if (fields == null) {
            return schema;
        }
        List<Types.NestedField> projected = new ArrayList<>(fields.size());
        for (String field : fields) {
            Types.NestedField column = schema.findField(field);
            if (column == null || schema.asStruct().field(column.fieldId()) == null) {
                throw new IllegalArgumentException(
                        "column '"
                                + field
                                + "' does not exist; the table has the columns "
                                + schema.columns().stream().map(Types.NestedField::name).toList());
            }
            projected.add(column);
        }
        return new Schema(projected);
    }

    @Override
    public List<LakeSplit> planSplits(long version, LakeScanSpec spec) throws IOException {
        TableScan scan =
                table.newScan()
                        .useSnapshot(version)
                        .caseSensitive(true)
                        .filter(IcebergPredicates.toExpression(spec.filters()))
                        .planWith(planning.executor());
        if (!filtersOnProjectedColumnsOnly(spec)) {
            // Iceberg's file readers bind a task's residual filter to the columns they read (for
            // row-group skipping); with a filter on an unread column, files are pruned only.
            scan = scan.ignoreResiduals();
        }
        return spec.changelog()
                ? insertSplits(version, scan.planFiles(), spec)
                : toSplits(version, scan.planFiles(), spec);
    }

    /**
     * The version's rows as the inserts a changelog read starts with: change splits routed by
     * partition like the changes that follow, so a row's insert and its later changes reach the
     * same reader.
     */
    private List<LakeSplit> insertSplits(
            long version, CloseableIterable<FileScanTask> files, LakeScanSpec spec)
            throws IOException {
        List<LakeSplit> splits = new ArrayList<>();
        try (CloseableIterable<FileScanTask> pieces =
                TableScanUtil.splitFiles(files, spec.splitSizeBytes())) {
            for (FileScanTask piece : pieces) {
                splits.add(
                        LakeSplit.change(
                                version + "-" + splits.size(),
                                version,
                                piece.file().location(),
                                IcebergChangeTask.allRows(piece).toBytes(table.specs()),
                                LakeSplit.ChangePhase.INSERT,
                                IcebergChangePlanner.routingKey(piece)));
            }
        }
        return splits;
    }

    /** Splits the planned files into byte ranges of the spec's split size, one split each. */
    static List<LakeSplit> toSplits(
            long version, CloseableIterable<FileScanTask> files, LakeScanSpec spec)
            throws IOException {
        List<LakeSplit> splits = new ArrayList<>();
        // The split iterable closes the planned one with it.
        try (CloseableIterable<FileScanTask> pieces =
                TableScanUtil.splitFiles(files, spec.splitSizeBytes())) {
            for (FileScanTask piece : pieces) {
                byte[] task = ScanTaskParser.toJson(piece).getBytes(StandardCharsets.UTF_8);
                String id = version + "-" + splits.size();
                splits.add(new LakeSplit(id, version, piece.file().location(), task, 0));
            }
        }
        return splits;
    }

    static boolean filtersOnProjectedColumnsOnly(LakeScanSpec spec) {
        List<String> projected = spec.projectedFields();
        return projected == null
                || spec.filters().stream().allMatch(f -> projected.containsAll(f.columns()));
    }

    @Override
    public List<LakeCommit> commitsAfter(OptionalLong afterVersion) {
        return IcebergHistory.commitsAfter(table, name, afterVersion);
    }

    @Override
    public LakeIncrement planIncrement(long version, LakeScanSpec spec) throws IOException {
        return IcebergHistory.planIncrement(table, name, version, spec, planning.executor());
    }

    @Override
    public LakeReaderFactory createReaderFactory(OptionalLong version, LakeScanSpec spec) {
        Schema schema = tableSchema(version, spec);
        Schema projected = projectedSchema(schema, spec);
        // Iceberg's reader evaluates row filters on the projected row, so only filters on
        // projected columns can drop rows early; the rest still pruned files during planning.
        List<LakePredicate> rowFilters =
                spec.filters().stream()
                        .filter(
                                f ->
                                        f.columns().stream()
                                                .allMatch(c -> projected.findField(c) != null))
                        .toList();
        return new IcebergReaderFactory(
                SerializableTable.copyOf(table),
                schema,
                projected,
                table.properties().get(TableProperties.DEFAULT_NAME_MAPPING),
                IcebergPredicates.toRowFilters(rowFilters),
                rowFilters.size() == spec.filters().size());
    }

    @Override
    public LakeWriterFactory createWriterFactory(RowType rowType, LakeWriteSpec spec) {
        return IcebergWriterFactory.create(table, name, rowType, spec);
    }

    @Override
    public LakeWriterFactory createUpsertWriterFactory(
            RowType rowType, LakeWriteSpec spec, List<String> keyColumns) {
        return IcebergWriterFactory.createUpsert(table, name, rowType, spec, keyColumns);
    }

    @Override
    public Optional<KeySelector<RowData, Integer>> partitionKeySelector(RowType rowType) {
        return table.spec().isUnpartitioned()
                ? Optional.empty()
                : Optional.of(
                        new IcebergPartitionKeySelector(table.schema(), table.spec(), rowType));
    }

    @Override
    public Map<String, String> tableProperties() {
        // The format version is table metadata, not a property, but a table property option.
        Map<String, String> properties = new HashMap<>(table.properties());
        properties.put(
                TableProperties.FORMAT_VERSION, String.valueOf(TableUtil.formatVersion(table)));
        return properties;
    }

    @Override
    public List<String> partitionColumns() {
        // Older specs count too: their files still route changes by their own partitions.
        Set<String> columns = new LinkedHashSet<>();
        for (PartitionSpec partitionSpec : table.specs().values()) {
            for (PartitionField field : partitionSpec.fields()) {
                String column = table.schema().findColumnName(field.sourceId());
                if (column != null && !(field.transform().isVoid())) {
                    columns.add(column);
                }
            }
        }
        return List.copyOf(columns);
    }

    /** As Iceberg's own Flink sink: 'range' is not supported here, so it is taken as 'hash'. */
    @Override
    public boolean prefersHashDistribution() {
        String mode =
                table.properties()
                        .getOrDefault(
                                TableProperties.WRITE_DISTRIBUTION_MODE,
                                TableProperties.WRITE_DISTRIBUTION_MODE_NONE);
        return !TableProperties.WRITE_DISTRIBUTION_MODE_NONE.equalsIgnoreCase(mode);
    }

    @Override
    public OptionalLong commit(List<LakeWriteResult> results, LakeCommitId commitId)
            throws IOException {
        return IcebergCommitOperation.commit(table, name, results, commitId);
    }

    @Override
    public void checkOverwrite(LakeOverwrite overwrite) {
        IcebergOverwriteOperation.check(table, name, overwrite);
    }

    @Override
    public OptionalLong commitOverwrite(
            List<LakeWriteResult> results, LakeCommitId commitId, LakeOverwrite overwrite)
            throws IOException {
        return IcebergOverwriteOperation.commit(table, name, results, commitId, overwrite);
    }

    @Override
    public void close() throws IOException {
        planning.close();
        catalog.close();
    }
}
