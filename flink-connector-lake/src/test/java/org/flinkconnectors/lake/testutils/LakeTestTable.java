package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.delta.DeltaFormat;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergFormat;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

    protected abstract void create(String name) throws IOException;

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

    private static final class IcebergTable extends LakeTestTable {
        private final IcebergTestTables tables;
        private String name;
        private Table table;

        IcebergTable(Path root) {
            this.tables = new IcebergTestTables(root);
        }

        @Override
        protected void create(String name) {
            this.name = name;
            table = tables.create(name);
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
