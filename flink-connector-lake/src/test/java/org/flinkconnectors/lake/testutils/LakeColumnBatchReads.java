package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.core.LakeColumnBatch;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads lake splits on both paths of a {@link LakeReaderFactory}, column batches and rows, as text
 * ({@code "v1,v2,..."}, Flink's internal values, binary as UTF-8), for the tests that check a
 * format's column batches against its row reader.
 */
public final class LakeColumnBatchReads {

    private LakeColumnBatchReads() {}

    /**
     * Reads every split of a version on both paths, checks that each was read as column batches and
     * gave the rows the row path gives; returns all rows.
     */
    public static List<String> assertSameRowsOnBothPaths(
            LakeTable lake, long version, LakeScanSpec spec) throws Exception {
        LakeReaderFactory readers = lake.createReaderFactory(OptionalLong.of(version), spec);
        RowType type = lake.producedType(OptionalLong.of(version), spec);
        List<String> all = new ArrayList<>();
        for (LakeSplit split : lake.planSplits(version, spec)) {
            List<String> batches = batchRows(readers, split, type);
            assertThat(batches)
                    .as("split %s", split.splitId())
                    .isEqualTo(rowReaderRows(readers, split, type));
            all.addAll(batches);
        }
        return all;
    }

    /**
     * The rows of the split's column batches, dropped ones left out; fails unless the split is read
     * as column batches. The rows are turned into text only after the last batch was read and the
     * split closed, so views that a later batch overwrote would show.
     */
    public static List<String> batchRows(LakeReaderFactory readers, LakeSplit split, RowType type)
            throws Exception {
        Optional<CloseableIterator<LakeColumnBatch>> batches = readers.openBatches(split);
        assertThat(batches).as("column batches for %s", split.splitId()).isPresent();
        List<RowData> held = new ArrayList<>();
        try (CloseableIterator<LakeColumnBatch> open = batches.get()) {
            while (open.hasNext()) {
                LakeColumnBatch batch = open.next();
                for (int i = 0; i < batch.size(); i++) {
                    if (!batch.isDropped(i)) {
                        held.add(batch.row(i));
                    }
                }
            }
        }
        List<String> rows = new ArrayList<>();
        held.forEach(row -> rows.add(text(row, type)));
        return rows;
    }

    /** The rows the split's row reader gives. */
    public static List<String> rowReaderRows(
            LakeReaderFactory readers, LakeSplit split, RowType type) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> open = readers.open(split)) {
            open.forEachRemaining(row -> rows.add(text(row, type)));
        }
        return rows;
    }

    private static String text(RowData row, RowType type) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < type.getFieldCount(); i++) {
            Object value = RowData.createFieldGetter(type.getTypeAt(i), i).getFieldOrNull(row);
            text.append(i == 0 ? "" : ",")
                    .append(
                            value instanceof byte[] bytes
                                    ? new String(bytes, StandardCharsets.UTF_8)
                                    : value);
        }
        return text.toString();
    }
}
