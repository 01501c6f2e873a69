package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.delta.DeltaFormat;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergFormat;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One table of {@code (id BIGINT NOT NULL, name STRING)} with {@code name = "name-<id>"} in either
 * format, for tests that check the same behaviour on both: parameterize by {@link #FORMATS} and
 * create the table in a test's directory.
 */
public abstract class LakeTestTable {

    /** The formats, by name, for {@code @MethodSource}. */
    public static final Map<String, Function<Path, LakeTestTable>> FORMATS =
            Map.of("iceberg", IcebergTable::new, "delta", DeltaTable::new);

    public static List<String> formats() {
        return List.of("iceberg", "delta");
    }

    /** Creates the table {@code name} of the format under {@code root}. */
    public static LakeTestTable create(String format, Path root, String name) throws IOException {
        LakeTestTable table = FORMATS.get(format).apply(root);
        table.create(name);
        return table;
    }

    /**
     * Creates the table {@code name} of {@code (id BIGINT NOT NULL, name STRING, day STRING)}
     * partitioned by {@code day}.
     */
    public static LakeTestTable createPartitioned(String format, Path root, String name)
            throws IOException {
        LakeTestTable table = FORMATS.get(format).apply(root);
        table.createPartitioned(name);
        return table;
    }

    protected abstract void create(String name) throws IOException;

    protected abstract void createPartitioned(String name) throws IOException;

    /** Commits the ids {@code [from, to)} as one data file; returns the new version. */
    public abstract long append(long from, long to) throws IOException;

    /** Commits a version that removes the data file {@code version} appended, a row rewrite. */
    public abstract long removeAppend(long version) throws IOException;

    /** The connector options that name the table, e.g. {@code 'table-format' = 'delta', ...}. */
    public abstract String options();

    public abstract LakeTableLoader loader();

    /** Whether the format can be read as a changelog. */
    public boolean readsChanges() {
        return format().capabilities().contains(LakeCapability.CHANGELOG);
    }

    protected abstract LakeFormat format();

    /** The location of the data file {@code version} appended, as the format's splits name it. */
    public abstract String fileOf(long version) throws IOException;

    /** The data file {@code version} appended, as an absolute path on disk. */
    public abstract Path dataFileOf(long version) throws IOException;

    /** The Parquet data files under the table's directory, live or not, as absolute paths. */
    public List<Path> dataFilesOnDisk() throws IOException {
        return parquetFilesUnder(dataDirectory());
    }

    /** The Parquet files under a directory, as absolute paths. */
    public static List<Path> parquetFilesUnder(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".parquet"))
                    .map(file -> file.toAbsolutePath().normalize())
                    .collect(Collectors.toList());
        }
    }

    protected abstract Path dataDirectory();

    /** The metadata key of the version a row was read at or appended by. */
    public abstract String versionMetadataKey();

    /** The option that reads the table at one version, e.g. {@code scan.version}. */
    public abstract String versionOption();

    /** The options that start a streaming read with the rows {@code version} appended. */
    public abstract String startingFrom(long version);

    /**
     * Each commit since the table was created, oldest first, named as Iceberg names snapshots:
     * {@code append} (adds files only), {@code overwrite} (adds and removes), {@code delete}
     * (removes only).
     */
    public abstract List<String> commits() throws IOException;

    /** How many data files the latest commit removed. */
    public abstract long filesRemovedByLatestCommit() throws IOException;

    /** A location as a table's metadata records it ({@code file:/...} or a plain path). */
    public static Path onDisk(Object location) {
        String text = String.valueOf(location);
        return (text.startsWith("file:") ? Paths.get(URI.create(text)) : Paths.get(text))
                .toAbsolutePath()
                .normalize();
    }

    private static final class IcebergTable extends LakeTestTable {
        private static final Schema PARTITIONED_SCHEMA =
                new Schema(
                        Types.NestedField.required(1, "id", Types.LongType.get()),
                        Types.NestedField.optional(2, "name", Types.StringType.get()),
                        Types.NestedField.optional(3, "day", Types.StringType.get()));

        private final Path root;
        private final IcebergTestTables tables;
        private String name;
        private Table table;

        IcebergTable(Path root) {
            this.root = root;
            this.tables = new IcebergTestTables(root);
        }

        @Override
        protected void create(String name) {
            this.name = name;
            table = tables.create(name);
        }

        @Override
        protected void createPartitioned(String name) {
            this.name = name;
            table =
                    tables.create(
                            name,
                            PARTITIONED_SCHEMA,
                            PartitionSpec.builderFor(PARTITIONED_SCHEMA).identity("day").build());
        }

        @Override
        public Path dataFileOf(long version) {
            return onDisk(fileOf(version));
        }

        @Override
        protected Path dataDirectory() {
            return root.resolve(IcebergTestTables.DATABASE).resolve(name).resolve("data");
        }

        @Override
        public String versionMetadataKey() {
            return "snapshot-id";
        }

        @Override
        public String versionOption() {
            return "scan.snapshot-id";
        }

        @Override
        public String startingFrom(long version) {
            return String.format(
                    "'scan.mode' = 'from-snapshot', 'scan.startup.snapshot-id' = '%d'", version);
        }

        @Override
        public List<String> commits() {
            return IcebergRows.snapshots(refreshed()).stream().map(Snapshot::operation).toList();
        }

        @Override
        public long filesRemovedByLatestCommit() {
            return Long.parseLong(
                    refreshed()
                            .currentSnapshot()
                            .summary()
                            .getOrDefault("deleted-data-files", "0"));
        }

        private Table refreshed() {
            table.refresh();
            return table;
        }

        @Override
        public long append(long from, long to) throws IOException {
            return IcebergTestTables.append(table, from, to);
        }

        @Override
        public long removeAppend(long version) throws IOException {
            table.refresh();
            DataFile file = appended(version);
            table.newDelete().deleteFile(file).commit();
            return table.currentSnapshot().snapshotId();
        }

        private DataFile appended(long version) {
            return table.snapshot(version).addedDataFiles(table.io()).iterator().next();
        }

        @Override
        public String fileOf(long version) {
            table.refresh();
            return appended(version).location();
        }

        @Override
        public String options() {
            return String.format(
                    "'table-format' = 'iceberg', 'warehouse' = '%s', 'database' = '%s',"
                            + " 'table' = '%s'",
                    tables.warehouse(), IcebergTestTables.DATABASE, name);
        }

        @Override
        protected LakeFormat format() {
            return new IcebergFormat();
        }

        @Override
        public LakeTableLoader loader() {
            return IcebergTableLoader.hadoop(tables.warehouse(), IcebergTestTables.DATABASE, name);
        }
    }

    private static final class DeltaTable extends LakeTestTable {
        private final DeltaTestTables tables;
        private String name;

        DeltaTable(Path root) {
            this.tables = new DeltaTestTables(root);
        }

        @Override
        protected void create(String name) {
            this.name = name;
            tables.create(name, Map.of());
        }

        @Override
        protected void createPartitioned(String name) {
            this.name = name;
            tables.createPartitioned(name);
        }

        @Override
        public Path dataFileOf(long version) throws IOException {
            return dataDirectory().resolve(fileOf(version)).toAbsolutePath().normalize();
        }

        @Override
        protected Path dataDirectory() {
            return Paths.get(tables.path(name));
        }

        @Override
        public String versionMetadataKey() {
            return "version";
        }

        @Override
        public String versionOption() {
            return "scan.version";
        }

        @Override
        public String startingFrom(long version) {
            return String.format(
                    "'scan.mode' = 'from-version', 'scan.startup.version' = '%d'", version);
        }

        /**
         * Version 0 creates the table; each later version is named by its add and remove actions.
         */
        @Override
        public List<String> commits() throws IOException {
            List<String> commits = new ArrayList<>();
            for (long version = 1; Files.exists(tables.commitFile(name, version)); version++) {
                List<String> actions = actions(version);
                boolean adds = actions.stream().anyMatch(a -> a.startsWith("{\"add\""));
                boolean removes = actions.stream().anyMatch(a -> a.startsWith("{\"remove\""));
                commits.add(adds ? (removes ? "overwrite" : "append") : "delete");
            }
            return commits;
        }

        @Override
        public long filesRemovedByLatestCommit() throws IOException {
            long latest = 0;
            while (Files.exists(tables.commitFile(name, latest + 1))) {
                latest++;
            }
            return actions(latest).stream().filter(a -> a.startsWith("{\"remove\"")).count();
        }

        private List<String> actions(long version) {
            try {
                return Files.readAllLines(tables.commitFile(name, version));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public long append(long from, long to) throws IOException {
            return tables.append(name, from, to);
        }

        @Override
        public long removeAppend(long version) throws IOException {
            String path = tables.addedIn(name, version).path();
            return tables.commitJson(
                    name,
                    String.format(
                            "{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":%d,"
                                    + "\"dataChange\":true}}%n",
                            path, System.currentTimeMillis()));
        }

        @Override
        public String fileOf(long version) throws IOException {
            return tables.addedIn(name, version).path();
        }

        @Override
        public String options() {
            return String.format("'table-format' = 'delta', 'path' = '%s'", tables.path(name));
        }

        @Override
        protected LakeFormat format() {
            return new DeltaFormat();
        }

        @Override
        public LakeTableLoader loader() {
            return DeltaTableLoader.path(tables.path(name));
        }
    }
}
