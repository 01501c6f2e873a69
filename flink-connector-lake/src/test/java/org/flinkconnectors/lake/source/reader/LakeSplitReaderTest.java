package org.flinkconnectors.lake.source.reader;

import org.flinkconnectors.base.source.reader.PositionedRecord;
import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.base.source.split.SplitPosition;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.source.LakeMetadataColumn;
import org.flinkconnectors.lake.source.LakeRowConverter;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetcher and the split state together, on a real Iceberg table: a split checkpointed in the
 * middle of a batch and read again by a new reader continues exactly after the last emitted row.
 */
class LakeSplitReaderTest {

    @TempDir Path warehouse;

    @Test
    void checkpointedSplitResumesExactlyAfterTheLastEmittedRow() throws Exception {
        IcebergTestTables tables = new IcebergTestTables(warehouse);
        Table table = tables.create("t");
        DataFile file = IcebergTestTables.writeDataFile(table, 0, 3_000);
        table.newAppend().appendFile(file).commit();
        long version = IcebergTestTables.deletePositions(table, file, 100, 2_500);
        IcebergTableLoader loader = IcebergTableLoader.hadoop(tables.warehouse(), "db", "t");

        try (LakeTable lake = loader.load()) {
            LakeSplit split = lake.planSplits(version, LakeScanSpec.latest()).get(0);
            LakeSplitReader<RowData> first = reader(lake, version);
            first.handleSplitsChanges(new SplitsAddition<>(List.of(split)));

            // Emit 1,500 rows: the first batch whole, then part of the second.
            SplitPosition<LakeSplit> state = new SplitPosition<>(split);
            List<Long> emitted = new ArrayList<>();
            emit(first.fetch(), state, emitted, Integer.MAX_VALUE);
            emit(first.fetch(), state, emitted, 1_500 - LakeSplitReader.BATCH_SIZE);
            first.close();
            LakeSplit checkpointed = state.toSplit();

            LakeSplitReader<RowData> restored = reader(lake, version);
            restored.handleSplitsChanges(new SplitsAddition<>(List.of(checkpointed)));
            RecordsWithSplitIds<PositionedRecord<RowData>> batch;
            do {
                batch = restored.fetch();
                emit(batch, state, emitted, Integer.MAX_VALUE);
            } while (batch.finishedSplits().isEmpty());

            assertThat(checkpointed.recordsToSkip()).isEqualTo(1_500);
            assertThat(batch.finishedSplits()).containsExactly(split.splitId());
            assertThat(emitted).hasSize(2_998).doesNotHaveDuplicates().doesNotContain(100L, 2_500L);
            assertThat(emitted.get(1_499)).isEqualTo(1_500L);
            assertThat(state.position()).isEqualTo(2_998);
        }
    }

    /**
     * A limit of 5 over splits of 10 rows each: the first split reader stops after five rows of the
     * first split; a second split reader of the same source reader (Flink makes a new one when an
     * idle fetcher closed) ends the next split without opening its file.
     */
    @Test
    void limitIsSharedBySplitReadersAndLaterSplitsAreNotOpened() throws Exception {
        IcebergTestTables tables = new IcebergTestTables(warehouse);
        Table table = tables.create("t");
        IcebergTestTables.append(table, 0, 10);
        long version = IcebergTestTables.append(table, 10, 20);
        IcebergTableLoader loader = IcebergTableLoader.hadoop(tables.warehouse(), "db", "t");

        try (LakeTable lake = loader.load()) {
            LakeScanSpec spec = LakeScanSpec.latest();
            List<LakeSplit> splits = lake.planSplits(version, spec);
            ReadLimit limit = ReadLimit.of(5);
            SimpleCounter opened = new SimpleCounter();
            LakeRowLayout layout =
                    new LakeRowLayout(
                            lake.producedType(OptionalLong.of(version), spec),
                            List.of(LakeMetadataColumn.VERSION),
                            true);
            LakeSplitReader<RowData> first =
                    new LakeSplitReader<>(
                            lake.createReaderFactory(OptionalLong.of(version), spec),
                            layout,
                            LakeRowConverter.rowData(),
                            limit,
                            opened);
            first.handleSplitsChanges(new SplitsAddition<>(List.of(splits.get(0))));
            RecordsWithSplitIds<PositionedRecord<RowData>> batch = first.fetch();
            List<RowData> rows = new ArrayList<>();
            batch.nextSplit();
            for (PositionedRecord<RowData> r; (r = batch.nextRecordFromSplit()) != null; ) {
                rows.add(r.value());
            }
            first.close();

            LakeSplitReader<RowData> second =
                    new LakeSplitReader<>(
                            lake.createReaderFactory(OptionalLong.of(version), spec),
                            layout,
                            LakeRowConverter.rowData(),
                            limit,
                            opened);
            second.handleSplitsChanges(new SplitsAddition<>(List.of(splits.get(1))));
            RecordsWithSplitIds<PositionedRecord<RowData>> ended = second.fetch();

            assertThat(rows).hasSize(5);
            // The metadata column follows the table's two columns.
            assertThat(rows).allSatisfy(row -> assertThat(row.getLong(2)).isEqualTo(version));
            assertThat(batch.finishedSplits()).containsExactly(splits.get(0).splitId());
            assertThat(ended.nextSplit()).isNull();
            assertThat(ended.finishedSplits()).containsExactly(splits.get(1).splitId());
            assertThat(opened.getCount()).isEqualTo(1);
        }
    }

    /**
     * A format that builds a new row per call is read without copies; one that reuses its row
     * object is copied, so a batch does not end up holding one row many times.
     */
    @Test
    void rowsAreCopiedOnlyWhenTheFormatReusesThem() throws Exception {
        RowType type = RowType.of(new BigIntType());
        LakeSplit split = new LakeSplit("s", 1, "file", new byte[0], 0);
        for (boolean reuses : new boolean[] {false, true}) {
            ThreeRows format = new ThreeRows(reuses);
            LakeSplitReader<RowData> reader =
                    new LakeSplitReader<>(format, type, LakeRowConverter.rowData());
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            RecordsWithSplitIds<PositionedRecord<RowData>> batch = reader.fetch();
            batch.nextSplit();
            List<RowData> rows = new ArrayList<>();
            for (PositionedRecord<RowData> r; (r = batch.nextRecordFromSplit()) != null; ) {
                rows.add(r.value());
            }

            assertThat(rows).extracting(row -> row.getLong(0)).containsExactly(0L, 1L, 2L);
            if (reuses) {
                assertThat(rows).noneMatch(row -> row == format.returned.get(0));
            } else {
                assertThat(rows).containsExactlyElementsOf(format.returned);
            }
        }
    }

    /** Rows 0, 1, 2 of one BIGINT column, in one reused row object or a new one each. */
    private static final class ThreeRows implements LakeReaderFactory {
        private final boolean reuses;
        private final List<RowData> returned = new ArrayList<>();

        ThreeRows(boolean reuses) {
            this.reuses = reuses;
        }

        @Override
        public boolean reusesRows() {
            return reuses;
        }

        @Override
        public CloseableIterator<RowData> open(LakeSplit split) {
            GenericRowData reused = new GenericRowData(1);
            Iterator<Long> ids = List.of(0L, 1L, 2L).iterator();
            return CloseableIterator.adapterForIterator(
                    new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return ids.hasNext();
                        }

                        @Override
                        public RowData next() {
                            GenericRowData row = reuses ? reused : new GenericRowData(1);
                            row.setField(0, ids.next());
                            returned.add(row);
                            return row;
                        }
                    });
        }
    }

    private static LakeSplitReader<RowData> reader(LakeTable lake, long version) {
        LakeScanSpec spec = LakeScanSpec.latest();
        return new LakeSplitReader<>(
                lake.createReaderFactory(OptionalLong.of(version), spec),
                lake.producedType(OptionalLong.of(version), spec),
                LakeRowConverter.rowData());
    }

    /** What the source reader does with a fetch: emit up to {@code max} rows, advancing state. */
    private static void emit(
            RecordsWithSplitIds<PositionedRecord<RowData>> batch,
            SplitPosition<LakeSplit> state,
            List<Long> emitted,
            int max) {
        if (batch.nextSplit() == null) {
            return;
        }
        PositionedRecord<RowData> record;
        int count = 0;
        while (count < max && (record = batch.nextRecordFromSplit()) != null) {
            emitted.add(record.value().getLong(0));
            state.advanceTo(record.positionAfter());
            count++;
        }
    }
}
