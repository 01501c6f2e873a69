package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.testutils.DeltaDeletionVectors;
import org.flinkconnectors.lake.testutils.DeltaTestTables;

import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Delta binding on real tables written by Delta Kernel, through the lake SPI directly. */
class DeltaLakeTableTest {

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void plansOneSplitPerDataFileAndReadsEveryRow() throws Exception {
        tables.create("t", Map.of());
        tables.append("t", 0, 100);
        tables.append("t", 100, 250);

        try (LakeTable table = DeltaTableLoader.path(tables.path("t")).load()) {
            List<LakeSplit> splits = table.planSplits(2, LakeScanSpec.latest());

            assertThat(splits).hasSize(2).allMatch(s -> s.path().endsWith(".parquet"));
            assertThat(splits).extracting(LakeSplit::version).containsOnly(2L);
            assertThat(readAll(table, LakeScanSpec.latest(), splits))
                    .containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(0, 250));
        }
    }

    @Test
    void deletionVectorsInlineAndInFilesHideDeletedRowsAndResumeCountsLiveRows() throws Exception {
        tables.create("dv", Map.of("delta.enableDeletionVectors", "true"));
        DeltaTestTables.DataFile low = tables.addedIn("dv", tables.append("dv", 0, 100));
        DeltaTestTables.DataFile high = tables.addedIn("dv", tables.append("dv", 100, 200));
        DeltaDeletionVectors.delete(
                tables, "dv", low, DeltaDeletionVectors.Storage.INLINE, 0, 3, 50);
        long version =
                DeltaDeletionVectors.delete(
                        tables, "dv", high, DeltaDeletionVectors.Storage.UUID_FILE, 10, 99);

        try (LakeTable table = DeltaTableLoader.path(tables.path("dv")).load()) {
            assertThat(table.resolveVersion(LakeVersionSelector.latest())).hasValue(version);
            List<LakeSplit> splits = table.planSplits(version, LakeScanSpec.latest());
            List<String> expected = new ArrayList<>(DeltaTestTables.expected(0, 200));
            expected.removeAll(
                    List.of("0,name-0", "3,name-3", "50,name-50", "110,name-110", "199,name-199"));
            assertThat(readAll(table, LakeScanSpec.latest(), splits))
                    .containsExactlyInAnyOrderElementsOf(expected);

            // Resuming after 2 emitted rows of the low file skips live rows 1 and 2, not 0 and 1.
            LakeReaderFactory reader =
                    table.createReaderFactory(OptionalLong.of(version), LakeScanSpec.latest());
            LakeSplit lowSplit =
                    splits.stream().filter(s -> s.path().endsWith(low.path())).findFirst().get();
            List<String> resumed = read(reader, lowSplit.withRecordsToSkip(2));
            assertThat(resumed).hasSize(95).startsWith("4,name-4").doesNotContain("50,name-50");
        }
    }

    @Test
    void aReaderBuiltForAnOlderVersionReadsNewerSplitsWithTheirOwnScanState() throws Exception {
        tables.create("late", Map.of());
        tables.append("late", 0, 10);
        LakeReaderFactory builtEarly;
        try (LakeTable table = DeltaTableLoader.path(tables.path("late")).load()) {
            builtEarly = table.createReaderFactory(OptionalLong.of(1), LakeScanSpec.latest());
        }
        // Deletion vectors enabled after the source was built: version 1 reads no row index.
        tables.setProperties("late", Map.of("delta.enableDeletionVectors", "true"));
        DeltaTestTables.DataFile file = tables.addedIn("late", tables.append("late", 10, 20));
        long version =
                DeltaDeletionVectors.delete(
                        tables, "late", file, DeltaDeletionVectors.Storage.INLINE, 0);

        List<String> rows = new ArrayList<>();
        try (LakeTable table = DeltaTableLoader.path(tables.path("late")).load()) {
            for (LakeSplit split : table.planSplits(version, LakeScanSpec.latest())) {
                rows.addAll(read(builtEarly, split));
            }
        }
        List<String> expected = new ArrayList<>(DeltaTestTables.expected(0, 20));
        expected.remove("10,name-10");
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void columnMappingReadsPhysicalColumnsUnderTheirLogicalNames() throws Exception {
        tables.create("cm", Map.of("delta.columnMapping.mode", "name"));
        tables.appendColumnMapped("cm", 0, 30);
        tables.renameColumn("cm", "name", "label");

        String physicalName =
                tables.latest("cm")
                        .getSchema()
                        .get("label")
                        .getMetadata()
                        .getString("delta.columnMapping.physicalName");
        assertThat(physicalName).isNotIn("name", "label");

        try (LakeTable table = DeltaTableLoader.path(tables.path("cm")).load()) {
            LakeScanSpec spec = LakeScanSpec.builder().project(List.of("label", "id")).build();
            long version = table.resolveVersion(spec.version()).getAsLong();
            assertThat(table.producedType(OptionalLong.of(version), spec).getFieldNames())
                    .containsExactly("label", "id");
            List<String> rows = new ArrayList<>();
            LakeReaderFactory reader = table.createReaderFactory(OptionalLong.of(version), spec);
            for (LakeSplit split : table.planSplits(version, spec)) {
                try (CloseableIterator<RowData> it = reader.open(split)) {
                    it.forEachRemaining(r -> rows.add(r.getLong(1) + "," + r.getString(0)));
                }
            }
            assertThat(rows).containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(0, 30));
        }
    }

    @Test
    void resolvesVersionsByNumberAndTimestampAndExplainsTheMisses() throws Exception {
        tables.create("tt", Map.of());
        tables.append("tt", 0, 10);
        tables.append("tt", 10, 20);
        long base = System.currentTimeMillis() - 60_000;
        for (long version = 0; version <= 2; version++) {
            tables.setCommitTime("tt", version, base + version * 10_000);
        }

        try (LakeTable table = DeltaTableLoader.path(tables.path("tt")).load()) {
            assertThat(table.resolveVersion(LakeVersionSelector.latest())).hasValue(2);
            assertThat(table.resolveVersion(LakeVersionSelector.version(1))).hasValue(1);
            assertThat(table.resolveVersion(LakeVersionSelector.asOfTimestamp(base + 15_000)))
                    .hasValue(1);
            assertThat(table.resolveVersion(LakeVersionSelector.asOfTimestamp(base + 10_000)))
                    .hasValue(1);
            assertThat(table.resolveVersion(LakeVersionSelector.asOfTimestamp(base + 99_000)))
                    .hasValue(2);

            assertThatThrownBy(() -> table.resolveVersion(LakeVersionSelector.version(7)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("version 7 does not exist; the latest version is 2");
            assertThatThrownBy(
                            () -> table.resolveVersion(LakeVersionSelector.asOfTimestamp(base - 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("there is no version as of");
            assertThatThrownBy(() -> table.resolveVersion(LakeVersionSelector.ref("main")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no tags or branches");
        }
    }

    @Test
    void filtersPrunePartitionsAndSkipFilesByStatistics() throws Exception {
        tables.createPartitioned("p");
        tables.appendPartition("p", "2024-01-01", 0, 10);
        tables.appendPartition("p", "2024-01-02", 10, 20);
        tables.appendPartition("p", "2024-01-03", 20, 30);

        try (LakeTable table = DeltaTableLoader.path(tables.path("p")).load()) {
            LakeScanSpec oneDay =
                    LakeScanSpec.builder()
                            .project(List.of("id", "name"))
                            .filter(LakePredicate.equal("day", "2024-01-02"))
                            .build();
            LakeScanSpec highIds =
                    LakeScanSpec.builder().filter(LakePredicate.greaterThan("id", 24)).build();

            assertThat(table.planSplits(3, LakeScanSpec.latest())).hasSize(3);
            List<LakeSplit> pruned = table.planSplits(3, oneDay);
            assertThat(pruned).hasSize(1);
            assertThat(pruned.get(0).path()).contains("day=2024-01-02");
            assertThat(readAll(table, oneDay, pruned))
                    .containsExactlyInAnyOrderElementsOf(DeltaTestTables.expected(10, 20));
            // An int literal against the long column still skips files by their id ranges.
            assertThat(table.planSplits(3, highIds))
                    .singleElement()
                    .satisfies(s -> assertThat(s.path()).contains("day=2024-01-03"));
        }
    }

    @Test
    void partitionValuesAreReadAsColumns() throws Exception {
        tables.createPartitioned("p");
        tables.appendPartition("p", "2024-01-05", 0, 3);

        try (LakeTable table = DeltaTableLoader.path(tables.path("p")).load()) {
            LakeScanSpec spec = LakeScanSpec.builder().project(List.of("day", "id")).build();
            LakeReaderFactory reader = table.createReaderFactory(OptionalLong.of(1), spec);
            List<String> rows = new ArrayList<>();
            try (CloseableIterator<RowData> it = reader.open(table.planSplits(1, spec).get(0))) {
                it.forEachRemaining(r -> rows.add(r.getString(0) + "/" + r.getLong(1)));
            }
            assertThat(rows).containsExactly("2024-01-05/0", "2024-01-05/1", "2024-01-05/2");
        }
    }

    @Test
    void unknownColumnAndMissingTableFailNamingThem() {
        tables.create("t", Map.of());
        String missing = root.resolve("nowhere").toString();

        assertThatThrownBy(() -> DeltaTableLoader.path(missing).load())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("there is no Delta table at " + missing);
        assertThatThrownBy(
                        () -> {
                            try (LakeTable table = DeltaTableLoader.path(tables.path("t")).load()) {
                                table.producedType(
                                        OptionalLong.empty(),
                                        LakeScanSpec.builder().project(List.of("nope")).build());
                            }
                        })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'nope' does not exist")
                .hasMessageContaining("[id, name]");
    }

    private static List<String> readAll(LakeTable table, LakeScanSpec spec, List<LakeSplit> splits)
            throws Exception {
        LakeReaderFactory reader =
                table.createReaderFactory(OptionalLong.of(splits.get(0).version()), spec);
        List<String> rows = new ArrayList<>();
        for (LakeSplit split : splits) {
            rows.addAll(read(reader, split));
        }
        return rows;
    }

    private static List<String> read(LakeReaderFactory reader, LakeSplit split) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it = reader.open(split)) {
            it.forEachRemaining(r -> rows.add(r.getLong(0) + "," + r.getString(1)));
        }
        return rows;
    }
}
