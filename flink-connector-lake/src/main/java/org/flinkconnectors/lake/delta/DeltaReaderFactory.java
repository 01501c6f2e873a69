package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeColumnBatch;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.json.JsonUtils;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.internal.util.ColumnMapping;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.FileStatus;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Delta splits with Kernel's own read path: the engine's Parquet handler reads the file's
 * physical columns (with the row index when the table has deletion vectors), and {@link
 * Scan#transformPhysicalData} applies the deletion vector, adds the partition values and maps
 * physical column names back to logical ones. {@link DeltaColumnBatches} hands the result on as
 * column batches over Kernel's vectors when every column is scalar; {@link DeltaRowIterator} turns
 * it into rows otherwise.
 *
 * <p>The scan state (logical and physical read schema, table configuration, partition columns) is
 * the same for every file of a scan; it travels here once, as Kernel's JSON form of the row, rather
 * than in every split. Splits of other versions (later versions of a streaming read) are read with
 * the scan state of their own version (its table configuration, e.g. deletion vectors enabled
 * since), restricted to the job's columns, loaded on first use and kept for a few versions.
 *
 * <p>Change splits carry a {@link DeltaChangeTask}; their rows are emitted with the split's {@link
 * ChangePhase#rowKind() row kind}. Change data files and the rows between two deletion vectors are
 * read by {@link DeltaChangeReader}.
 */
@Internal
final class DeltaReaderFactory implements LakeReaderFactory {

    private static final long serialVersionUID = 1L;

    /** A streaming read meets a new version with every commit; only the recent ones are kept. */
    private static final int MAX_CACHED_SCAN_STATES = 16;

    private final Map<String, String> hadoopProperties;
    private final String tablePath;
    private final long version;
    private final String scanStateJson;
    private final String scanStateSchemaJson;

    @Nullable private transient Engine engine;
    @Nullable private transient Row ownScanState;
    @Nullable private transient Map<Long, Row> otherScanStates;

    DeltaReaderFactory(
            Map<String, String> hadoopProperties, String tablePath, long version, Row scanState) {
        this.hadoopProperties = Map.copyOf(hadoopProperties);
        this.tablePath = tablePath;
        this.version = version;
        this.scanStateJson = JsonUtils.rowToJson(scanState);
        this.scanStateSchemaJson = scanState.getSchema().toJson();
    }

    /** Rows are built from Kernel's column vectors one by one; each is new. */
    @Override
    public boolean reusesRows() {
        return false;
    }

    @Override
    public CloseableIterator<RowData> open(LakeSplit split) throws IOException {
        Row scanState = scanState(split.version());
        String tableRoot = ScanStateRow.getTableRoot(scanState).toString();
        if (split.changePhase().isEmpty()) {
            Row scanFile = DeltaScanFile.decode(split.task(), tableRoot);
            return rows(
                    split, scanState, scanFile, kernelScan(scanState, scanFile), RowKind.INSERT);
        }
        ChangePhase phase = split.changePhase().get();
        DeltaChangeTask change = DeltaChangeTask.fromBytes(split.task());
        Row scanFile = DeltaScanFile.decode(change.scanFile(), tableRoot);
        io.delta.kernel.utils.CloseableIterator<FilteredColumnarBatch> batches;
        switch (change.rows()) {
            case LIVE:
                batches = kernelScan(scanState, scanFile);
                break;
            case CHANGE_DATA:
                batches = DeltaChangeReader.changeData(engine(), scanState, scanFile, phase);
                break;
            case MARKED_ONLY:
                DeltaDeletionVectorDiff diff =
                        DeltaDeletionVectorDiff.load(
                                engine(), tableRoot, change.marked(), change.unmarked());
                batches = DeltaChangeReader.markedOnly(engine(), scanState, scanFile, diff);
                break;
            default:
                throw new IOException("Unknown Delta change rows " + change.rows());
        }
        return rows(split, scanState, scanFile, batches, phase.rowKind());
    }

    /** The live rows of a data file as Kernel's scan reads them. */
    private io.delta.kernel.utils.CloseableIterator<FilteredColumnarBatch> kernelScan(
            Row scanState, Row scanFile) throws IOException {
        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
        io.delta.kernel.utils.CloseableIterator<ColumnarBatch> physical =
                engine().getParquetHandler()
                        .readParquetFiles(
                                Utils.singletonCloseableIterator(file),
                                physicalSchema,
                                Optional.empty())
                        .map(FileReadResult::getData);
        return Scan.transformPhysicalData(engine(), scanState, scanFile, physical);
    }

    /**
     * The live rows of a data split as column batches over Kernel's vectors, when every column of
     * the split's read schema is scalar; the answer depends on the split's version alone. Change
     * splits are read row by row: their rows carry the phase's row kind.
     */
    @Override
    public Optional<CloseableIterator<LakeColumnBatch>> openBatches(LakeSplit split)
            throws IOException {
        if (split.changePhase().isPresent()) {
            return Optional.empty();
        }
        Row scanState = scanState(split.version());
        if (!DeltaColumnBatches.supports(ScanStateRow.getLogicalSchema(scanState))) {
            return Optional.empty();
        }
        String tableRoot = ScanStateRow.getTableRoot(scanState).toString();
        Row scanFile = DeltaScanFile.decode(split.task(), tableRoot);
        return Optional.of(
                new DeltaColumnBatches(
                        logicalBatches(scanState, scanFile, kernelScan(scanState, scanFile)),
                        split.recordsToSkip()));
    }

    private static CloseableIterator<RowData> rows(
            LakeSplit split,
            Row scanState,
            Row scanFile,
            io.delta.kernel.utils.CloseableIterator<FilteredColumnarBatch> batches,
            RowKind kind) {
        return new DeltaRowIterator(
                logicalBatches(scanState, scanFile, batches),
                ScanStateRow.getLogicalSchema(scanState),
                split.recordsToSkip(),
                kind);
    }

    private static DeltaLogicalBatches logicalBatches(
            Row scanState,
            Row scanFile,
            io.delta.kernel.utils.CloseableIterator<FilteredColumnarBatch> batches) {
        return new DeltaLogicalBatches(
                batches,
                ScanStateRow.getLogicalSchema(scanState),
                InternalScanFileUtils.getAddFileStatus(scanFile).getPath());
    }

    private Engine engine() {
        if (engine == null) {
            engine = DeltaEngines.create(hadoopProperties);
        }
        return engine;
    }

    private Row ownScanState() {
        if (ownScanState == null) {
            StructType schema = DataTypeJsonSerDe.deserializeStructType(scanStateSchemaJson);
            ownScanState = JsonUtils.rowFromJson(scanStateJson, schema);
        }
        return ownScanState;
    }

    private Row scanState(long splitVersion) {
        if (splitVersion == version) {
            return ownScanState();
        }
        if (otherScanStates == null) {
            otherScanStates =
                    new LinkedHashMap<>(16, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<Long, Row> eldest) {
                            return size() > MAX_CACHED_SCAN_STATES;
                        }
                    };
        }
        return otherScanStates.computeIfAbsent(splitVersion, this::loadScanState);
    }

    private Row loadScanState(long otherVersion) {
        Snapshot snapshot =
                TableManager.loadSnapshot(tablePath).atVersion(otherVersion).build(engine());
        return snapshot.getScanBuilder()
                .withReadSchema(jobColumnsIn(snapshot.getSchema()))
                .build()
                .getScanState(engine());
    }

    /**
     * The job's columns as another version's schema has them, matched by physical name: rows keep
     * the job's columns when a later version added some, and a renamed column (column mapping keeps
     * its physical name) is still read. A column the version does not have (added after it) is
     * asked for as the job knows it, and its files give nulls. A version that dropped a column or
     * changed its type never gets here: the streaming read fails on it first.
     */
    private StructType jobColumnsIn(StructType versionSchema) {
        List<StructField> fields = new ArrayList<>();
        for (StructField jobField : ScanStateRow.getLogicalSchema(ownScanState()).fields()) {
            String physical = ColumnMapping.getPhysicalName(jobField);
            fields.add(
                    versionSchema.fields().stream()
                            .filter(field -> ColumnMapping.getPhysicalName(field).equals(physical))
                            .findFirst()
                            .orElse(jobField));
        }
        return new StructType(fields);
    }
}
