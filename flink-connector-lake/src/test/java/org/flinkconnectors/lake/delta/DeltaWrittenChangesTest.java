package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.delta.DeltaChangeReads.Changes;
import org.flinkconnectors.lake.testutils.DeltaDeletionVectors;
import org.flinkconnectors.lake.testutils.DeltaLogCommits;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.DeltaTestTables.DataFile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.lake.delta.DeltaChangeReads.CHANGELOG;
import static org.flinkconnectors.lake.delta.DeltaChangeReads.assertChangesMatch;

/**
 * Changelog planning of Delta tables written here, without change data files: appends, removes of
 * whole files, deletion vectors written, replaced and rolled back on the same file, compaction, a
 * copy-on-write rewrite with the change data feed off, and the versions that cannot be read as
 * changes (a vacuumed data or deletion vector file, a remove without partition values).
 */
class DeltaWrittenChangesTest {

    /**
     * The descriptor object of an add's deletion vector. Its strings (a Z85-encoded inline vector
     * or file id) may hold braces, so strings are matched whole.
     */
    private static final Pattern ADD_DV =
            Pattern.compile(
                    "\"add\":\\{.*?\"deletionVector\":(\\{(?:\"(?:[^\"\\\\]|\\\\.)*\"|[^{}\"])*\\})");

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void setUp() {
        tables = new DeltaTestTables(root);
    }

    @Test
    void appendsInsertAndWholeFileRemovesDelete() throws Exception {
        tables.create("t", Map.of());
        long append = tables.append("t", 0, 5);
        DataFile file = tables.addedIn("t", append);
        long second = tables.append("t", 5, 8);
        long removed = DeltaLogCommits.deleteFiles(tables, "t", List.of(file));

        try (LakeTable lake = load("t")) {
            Changes appended = assertChangesMatch(lake, append);
            assertThat(appended.deletes).isEmpty();
            assertThat(appended.inserts).containsExactlyElementsOf(DeltaTestTables.expected(0, 5));
            assertThat(appended.routingKeys).containsOnly("");
            assertThat(assertChangesMatch(lake, second).inserts).hasSize(3);

            Changes deleted = assertChangesMatch(lake, removed);
            assertThat(deleted.deletes).containsExactlyElementsOf(DeltaTestTables.expected(0, 5));
            assertThat(deleted.inserts).isEmpty();
        }
    }

    @Test
    void deletionVectorsDeleteAndRestoreOnlyTheirDifference() throws Exception {
        tables.create("dv", Map.of("delta.enableDeletionVectors", "true"));
        DataFile file = tables.addedIn("dv", tables.append("dv", 0, 10));
        long first =
                DeltaDeletionVectors.delete(
                        tables, "dv", file, DeltaDeletionVectors.Storage.INLINE, 1, 3);
        String dvA = addedDeletionVector(first);
        long replaced =
                DeltaDeletionVectors.delete(
                        tables, "dv", file, DeltaDeletionVectors.Storage.UUID_FILE, 1, 3, 5, 7);
        // The helper's remove does not name the vector it replaces; the protocol's does.
        patchRemovedDeletionVector(replaced, dvA);
        String dvB = addedDeletionVector(replaced);
        long restored = tables.commitJson("dv", replace(file, dvB, dvA));
        long removed = tables.commitJson("dv", remove(file, dvA));

        try (LakeTable lake = load("dv")) {
            Changes firstDelete = assertChangesMatch(lake, first);
            assertThat(firstDelete.deletes).containsExactly("1,name-1", "3,name-3");
            assertThat(firstDelete.inserts).isEmpty();

            Changes replacement = assertChangesMatch(lake, replaced);
            assertThat(replacement.deletes).containsExactly("5,name-5", "7,name-7");
            assertThat(replacement.inserts).isEmpty();

            Changes restore = assertChangesMatch(lake, restored);
            assertThat(restore.deletes).isEmpty();
            assertThat(restore.inserts).containsExactly("5,name-5", "7,name-7");

            Changes removal = assertChangesMatch(lake, removed);
            assertThat(removal.deletes).hasSize(8).doesNotContain("1,name-1", "3,name-3");
        }
    }

    @Test
    void aRewriteWithoutChangeDataIsAllOldRowsOutAndAllNewRowsIn() throws Exception {
        tables.create("cow", Map.of());
        DataFile old = tables.addedIn("cow", tables.append("cow", 0, 5));
        // A copy-on-write DELETE of ids 3 and 4 with the change data feed off.
        tables.create("scratch", Map.of());
        DataFile kept = tables.addedIn("scratch", tables.append("scratch", 0, 3));
        Files.copy(
                Path.of(tables.path("scratch")).resolve(kept.path()),
                Path.of(tables.path("cow")).resolve(kept.path()));
        long rewrite = tables.commitJson("cow", remove(old, null) + add(kept, null));
        long optimize =
                DeltaLogCommits.compact(tables, "cow", List.of(tables.addedIn("cow", rewrite)));

        try (LakeTable lake = load("cow")) {
            Changes changes = assertChangesMatch(lake, rewrite);
            assertThat(changes.deletes).containsExactlyElementsOf(DeltaTestTables.expected(0, 5));
            assertThat(changes.inserts).containsExactlyElementsOf(DeltaTestTables.expected(0, 3));
            assertThat(lake.planIncrement(optimize, CHANGELOG).kind())
                    .isEqualTo(LakeIncrement.Kind.NO_DATA_CHANGE);
        }
    }

    @Test
    void partitionsAreRoutingKeys() throws Exception {
        tables.createPartitioned("p");
        long a = tables.appendPartition("p", "2024-01-01", 0, 3);
        long b = tables.appendPartition("p", "2024-01-02", 3, 5);

        try (LakeTable lake = load("p")) {
            assertThat(assertChangesMatch(lake, a).routingKeys).containsExactly("day=2024-01-01");
            Changes second = assertChangesMatch(lake, b);
            assertThat(second.routingKeys).containsExactly("day=2024-01-02");
            assertThat(second.inserts)
                    .containsExactly("3,name-3,2024-01-02", "4,name-4,2024-01-02");
        }
    }

    @Test
    void aVacuumedDataFileFailsTheVersionNamingTheFile() throws Exception {
        tables.create("gone", Map.of());
        DataFile file = tables.addedIn("gone", tables.append("gone", 0, 5));
        long removed = DeltaLogCommits.deleteFiles(tables, "gone", List.of(file));
        Files.delete(Path.of(tables.path("gone")).resolve(file.path()));

        try (LakeTable lake = load("gone")) {
            assertThatThrownBy(() -> lake.planIncrement(removed, CHANGELOG))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("version " + removed + " of Delta table at")
                    .hasMessageContaining(file.path())
                    .hasMessageContaining("no longer exists");
        }
    }

    @Test
    void aVacuumedDeletionVectorFailsTheVersion() throws Exception {
        tables.create("dvgone", Map.of("delta.enableDeletionVectors", "true"));
        DataFile file = tables.addedIn("dvgone", tables.append("dvgone", 0, 10));
        long deleted =
                DeltaDeletionVectors.delete(
                        tables, "dvgone", file, DeltaDeletionVectors.Storage.UUID_FILE, 2);
        try (Stream<Path> vectors = Files.list(Path.of(tables.path("dvgone")))) {
            for (Path vector :
                    vectors.filter(p -> p.getFileName().toString().startsWith("deletion_vector_"))
                            .toList()) {
                Files.delete(vector);
            }
        }

        try (LakeTable lake = load("dvgone")) {
            assertThatThrownBy(() -> lake.planIncrement(deleted, CHANGELOG))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("version " + deleted + " of Delta table at")
                    .hasMessageContaining("deletion vector");
        }
    }

    @Test
    void aRemoveWithoutPartitionValuesFailsOnAPartitionedTable() throws Exception {
        tables.createPartitioned("nopv");
        DataFile file = tables.addedIn("nopv", tables.appendPartition("nopv", "2024-01-01", 0, 3));
        // As DeltaLogCommits writes removes, but without partition values.
        long removed =
                tables.commitJson(
                        "nopv",
                        String.format(
                                "{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":1,"
                                        + "\"dataChange\":true,\"size\":%d}}%n",
                                file.path(), file.size()));

        try (LakeTable lake = load("nopv")) {
            assertThatThrownBy(() -> lake.planIncrement(removed, CHANGELOG))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("version " + removed)
                    .hasMessageContaining("no partition values");
        }
    }

    @Test
    void aVersionWithAnUnsupportedReaderFeatureFails() throws Exception {
        tables.create("feature", Map.of());
        // A feature Kernel cannot read, dropped again by the next version.
        long unreadable =
                tables.commitJson(
                        "feature",
                        "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                                + "\"readerFeatures\":[\"madeUpFeature\"],"
                                + "\"writerFeatures\":[\"madeUpFeature\"]}}\n");
        // Written directly: commitJson loads the unreadable version to number the next one.
        Files.writeString(
                tables.commitFile("feature", unreadable + 1),
                "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");

        try (LakeTable lake = load("feature")) {
            assertThatThrownBy(() -> lake.planIncrement(unreadable, CHANGELOG))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("version " + unreadable + " of Delta table at")
                    .hasMessageContaining("madeUpFeature");
        }
    }

    @Test
    void changeSplitsSurviveSerializationWithTheirPhase() throws Exception {
        tables.create("s", Map.of());
        long append = tables.append("s", 0, 3);

        try (LakeTable lake = load("s")) {
            LakeSplit split = lake.planIncrement(append, CHANGELOG).splits().get(0);
            assertThat(split.changePhase()).contains(ChangePhase.INSERT);
            assertThat(DeltaChangeTask.fromBytes(split.task()).rows())
                    .isEqualTo(DeltaChangeTask.Rows.LIVE);
        }
    }

    /** The deletion vector descriptor (JSON) that a version's add action carries. */
    private String addedDeletionVector(long version) throws Exception {
        Matcher matcher = ADD_DV.matcher(Files.readString(tables.commitFile("dv", version)));
        assertThat(matcher.find()).as("version %s adds a deletion vector", version).isTrue();
        return matcher.group(1);
    }

    private void patchRemovedDeletionVector(long version, String dv) throws Exception {
        Path commit = tables.commitFile("dv", version);
        String json = Files.readString(commit);
        String patched =
                json.replaceFirst(
                        "(\"remove\":\\{[^\\n]*)\\}\\}",
                        "$1,\"deletionVector\":" + Matcher.quoteReplacement(dv) + "}}");
        assertThat(patched).isNotEqualTo(json);
        Files.writeString(commit, patched);
    }

    private static String replace(DataFile file, String removedDv, String addedDv) {
        return remove(file, removedDv) + add(file, addedDv);
    }

    private static String remove(DataFile file, String dv) {
        return String.format(
                "{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":%d,\"dataChange\":true,"
                        + "\"extendedFileMetadata\":true,\"partitionValues\":{},\"size\":%d%s}}%n",
                file.path(),
                System.currentTimeMillis(),
                file.size(),
                dv == null ? "" : ",\"deletionVector\":" + dv);
    }

    private static String add(DataFile file, String dv) {
        return String.format(
                "{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":%d,"
                        + "\"modificationTime\":%d,\"dataChange\":true%s}}%n",
                file.path(),
                file.size(),
                file.modificationTime(),
                dv == null ? "" : ",\"deletionVector\":" + dv);
    }

    private LakeTable load(String table) {
        return DeltaTableLoader.path(tables.path(table)).load();
    }
}
