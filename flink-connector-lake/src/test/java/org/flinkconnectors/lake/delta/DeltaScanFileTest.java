package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.testutils.DeltaDeletionVectors;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.utils.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Delta split's payload keeps what reading needs of Kernel's scan file row, compactly. */
class DeltaScanFileTest {

    @TempDir Path root;

    @Test
    void roundTripKeepsPathSizePartitionValuesAndDeletionVector() throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root);
        tables.createPartitioned("p");
        tables.appendPartition("p", "2024-01-01", 0, 10);
        Row scanFile = firstScanFile(tables, "p");
        String tableRoot = tables.latest("p").getPath();

        byte[] payload = DeltaScanFile.encode(scanFile);
        Row decoded = DeltaScanFile.decode(payload, tableRoot);

        assertThat(InternalScanFileUtils.getAddFileStatus(decoded).getPath())
                .isEqualTo(InternalScanFileUtils.getAddFileStatus(scanFile).getPath());
        assertThat(InternalScanFileUtils.getAddFileStatus(decoded).getSize())
                .isEqualTo(InternalScanFileUtils.getAddFileStatus(scanFile).getSize());
        assertThat(InternalScanFileUtils.getPartitionValues(decoded))
                .isEqualTo(Map.of("day", "2024-01-01"));
        assertThat(InternalScanFileUtils.getDeletionVectorDescriptorFromRow(decoded)).isNull();
        // No statistics or tags: a relative path, two longs, one partition value and flags.
        assertThat(payload.length).isLessThan(200);
    }

    @Test
    void roundTripKeepsAnInlineDeletionVector() throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root);
        tables.create("dv", Map.of("delta.enableDeletionVectors", "true"));
        DeltaTestTables.DataFile file = tables.addedIn("dv", tables.append("dv", 0, 10));
        DeltaDeletionVectors.delete(tables, "dv", file, DeltaDeletionVectors.Storage.INLINE, 1, 2);
        Row scanFile = firstScanFile(tables, "dv");

        Row decoded =
                DeltaScanFile.decode(DeltaScanFile.encode(scanFile), tables.latest("dv").getPath());

        assertThat(InternalScanFileUtils.getDeletionVectorDescriptorFromRow(decoded))
                .isEqualTo(InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile))
                .satisfies(dv -> assertThat(dv.getCardinality()).isEqualTo(2));
    }

    @Test
    void unknownPayloadVersionFailsClearly() {
        assertThatThrownBy(() -> DeltaScanFile.decode(new byte[] {9}, "file:/t"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown Delta split payload version 9");
    }

    private static Row firstScanFile(DeltaTestTables tables, String table) throws IOException {
        try (CloseableIterator<FilteredColumnarBatch> batches =
                        tables.latest(table)
                                .getScanBuilder()
                                .build()
                                .getScanFiles(tables.engine());
                CloseableIterator<Row> rows = batches.next().getRows()) {
            return rows.next();
        }
    }
}
