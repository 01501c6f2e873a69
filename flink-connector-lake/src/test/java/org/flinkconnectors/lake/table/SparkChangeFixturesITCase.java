package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.SparkFixtures;
import org.flinkconnectors.lake.testutils.SparkFixtures.DeltaVersion;
import org.flinkconnectors.lake.testutils.SparkFixtures.IcebergSnapshot;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CollectionUtil;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code 'connector' = 'lake'} reads tables that Apache Spark wrote with row-level changes, at the
 * latest version and at every earlier one, and returns the rows Spark itself read at each (the
 * fixtures of {@link SparkFixtures}):
 *
 * <ul>
 *   <li>Iceberg v2 merge-on-read: DELETE, UPDATE and MERGE left Parquet position delete files;
 *   <li>Iceberg v3 merge-on-read: the same statements left deletion vectors in Puffin files;
 *   <li>Delta with the change data feed, copy-on-write: UPDATE, DELETE and MERGE rewrote files and
 *       added {@code _change_data} files;
 *   <li>Delta with the change data feed and deletion vectors: the same statements left deletion
 *       vectors.
 * </ul>
 *
 * <p>Each table holds ids 1-30 over three regions, then loses 3, 4 and 17, has 7, 14, 21 and 28
 * updated, and a MERGE updates 1, 8 and 11 (11 moves to another region), deletes 2 and 9 and
 * inserts 31 and 32; an INSERT adds 33-35.
 */
class SparkChangeFixturesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String COLUMNS = "id INT, name STRING, amount BIGINT, region STRING";

    @TempDir Path warehouse;

    @ParameterizedTest
    @ValueSource(strings = {"spark_mor_v2", "spark_mor_v3"})
    void icebergSnapshotsReadAsSparkReadThem(String name) throws Exception {
        String location = SparkFixtures.copyIcebergTable(name, warehouse);
        Table table =
                new HadoopCatalog(new Configuration(), warehouse.toUri().toString())
                        .loadTable(TableIdentifier.of("db", name));
        assertThat(table.location()).isEqualTo(location);
        assertThat(deleteFileFormats(table))
                .as("delete files of %s", name)
                .containsExactly(name.endsWith("v3") ? FileFormat.PUFFIN : FileFormat.PARQUET);
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql(
                String.format(
                        "CREATE TABLE t (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'iceberg', 'warehouse' = '%s', 'database' = 'db', 'table' ="
                                + " '%s')",
                        COLUMNS, warehouse.toUri(), name));

        List<IcebergSnapshot> snapshots = SparkFixtures.icebergSnapshots(name);
        assertThat(snapshots)
                .extracting(IcebergSnapshot::step)
                .containsExactly("insert", "delete", "update", "merge", "insert");
        IcebergSnapshot last = snapshots.get(snapshots.size() - 1);

        assertThat(rows(batch, "SELECT * FROM t"))
                .as("latest snapshot of %s", name)
                .containsExactlyElementsOf(SparkFixtures.icebergRows(name, last.id()));
        for (IcebergSnapshot snapshot : snapshots) {
            assertThat(
                            rows(
                                    batch,
                                    "SELECT * FROM t /*+ OPTIONS('scan.snapshot-id' = '"
                                            + snapshot.id()
                                            + "') */"))
                    .as("%s at snapshot %s (%s)", name, snapshot.id(), snapshot.step())
                    .containsExactlyElementsOf(SparkFixtures.icebergRows(name, snapshot.id()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_cdf_cow", "spark_cdf_dv"})
    void deltaVersionsReadAsSparkReadThem(String name) throws Exception {
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql(
                String.format(
                        "CREATE TABLE t (%s) WITH ('connector' = 'lake', 'table-format' ="
                                + " 'delta', 'path' = '%s')",
                        COLUMNS, SparkFixtures.deltaTable(name)));

        List<DeltaVersion> versions = SparkFixtures.deltaVersions(name);
        assertThat(versions)
                .extracting(DeltaVersion::step)
                .containsExactly("create", "insert", "update", "delete", "merge", "insert");
        DeltaVersion last = versions.get(versions.size() - 1);

        assertThat(rows(batch, "SELECT * FROM t"))
                .as("latest version of %s", name)
                .containsExactlyElementsOf(SparkFixtures.deltaRows(name, last.version()));
        for (DeltaVersion version : versions) {
            assertThat(
                            rows(
                                    batch,
                                    "SELECT * FROM t /*+ OPTIONS('scan.version' = '"
                                            + version.version()
                                            + "') */"))
                    .as("%s at version %s (%s)", name, version.version(), version.step())
                    .containsExactlyElementsOf(SparkFixtures.deltaRows(name, version.version()));
        }
    }

    /**
     * The formats of the delete files of every snapshot, after checking that each file the
     * relocated table refers to lies under its new location and has the size recorded for it.
     */
    private static Set<FileFormat> deleteFileFormats(Table table) throws IOException {
        Set<FileFormat> formats = EnumSet.noneOf(FileFormat.class);
        for (Snapshot snapshot : table.snapshots()) {
            assertLocal(table, snapshot.manifestListLocation(), null);
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                assertLocal(table, manifest.path(), manifest.length());
            }
            for (ManifestFile manifest : snapshot.dataManifests(table.io())) {
                try (ManifestReader<DataFile> files = ManifestFiles.read(manifest, table.io())) {
                    for (DataFile file : files) {
                        assertLocal(table, file.location(), file.fileSizeInBytes());
                    }
                }
            }
            for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
                try (ManifestReader<DeleteFile> files =
                        ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                    for (DeleteFile file : files) {
                        assertLocal(table, file.location(), file.fileSizeInBytes());
                        assertThat(file.content()).isEqualTo(FileContent.POSITION_DELETES);
                        formats.add(file.format());
                    }
                }
            }
        }
        return formats;
    }

    private static void assertLocal(Table table, String path, Long recordedSize)
            throws IOException {
        assertThat(path).startsWith(table.location() + "/");
        Path file = Path.of(URI.create(path));
        assertThat(file).exists();
        if (recordedSize != null) {
            assertThat(Files.size(file)).as("size of %s", path).isEqualTo(recordedSize);
        }
    }

    /** The rows as Spark's expected files have them: comma-joined, null empty, sorted by id. */
    private static List<String> rows(TableEnvironment env, String query) throws Exception {
        return CollectionUtil.iteratorToList(env.executeSql(query).collect()).stream()
                .sorted(Comparator.comparing(row -> (Integer) row.getField(0)))
                .map(SparkChangeFixturesITCase::csv)
                .toList();
    }

    private static String csv(Row row) {
        return IntStream.range(0, row.getArity())
                .mapToObj(i -> Objects.toString(row.getField(i), ""))
                .collect(Collectors.joining(","));
    }
}
