package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchVariant.Role;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.lookup.LakeLookupIndex;
import org.flinkconnectors.lake.lookup.LakeLookupReader;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * The lake lookup cache's refresh against a full reload: a table of {@code rows} rows in 40 files
 * is loaded into the cache, then each round commits a change of 1,000 rows and times the
 * incremental refresh (listing the commits, reading only what they changed, applying it) against
 * loading the whole table again. One JVM, local files, one thread; {@link BenchReport} prints min /
 * median / max of both in ms and the refresh's share of the reload.
 *
 * <ul>
 *   <li>Iceberg, clustered update: one commit deletes 1,000 rows of one file by a position delete
 *       file naming that file and inserts 1,000 rows in a new file (as a merge-on-read UPDATE of
 *       neighbouring rows writes);
 *   <li>Iceberg, scattered update: the same with 25 rows deleted in each of the 40 files, which a
 *       refresh reads more cheaply by loading the table again;
 *   <li>Delta, append of 1,000 rows.
 * </ul>
 *
 * <p>Arguments: rows (default 2,000,000), rounds (5).
 */
public final class LakeLookupRefreshBenchmark {

    private static final int FILES = 40;
    private static final int CHANGED = 1_000;
    private static final RowType ROW =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("name", DataTypes.STRING()))
                            .getLogicalType();

    private LakeLookupRefreshBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        BenchReport report =
                new BenchReport(
                        "lookup",
                        String.format(
                                "%,d rows in %d files, %,d rows changed per round, %d rounds, one"
                                        + " thread; %s",
                                rows, FILES, CHANGED, rounds, LakeBenchmark.setting()));
        Path root = Files.createTempDirectory("lake-lookup-bench");
        try {
            report.add(iceberg(root, rows, rounds, false));
            report.add(iceberg(root, rows, rounds, true));
            report.add(delta(root, rows, rounds));
        } finally {
            LakeBenchJobs.deleteRecursively(root);
        }
        report.finish();
    }

    private static BenchPath iceberg(Path root, long rows, int rounds, boolean scattered)
            throws Exception {
        String name = scattered ? "scattered" : "clustered";
        IcebergTestTables tables = new IcebergTestTables(root.resolve("iceberg-" + name));
        Table table = tables.create("dim");
        long perFile = rows / FILES;
        List<DataFile> files = new ArrayList<>();
        var append = table.newAppend();
        for (int f = 0; f < FILES; f++) {
            DataFile file = IcebergTestTables.writeDataFile(table, f * perFile, (f + 1) * perFile);
            files.add(file);
            append.appendFile(file);
        }
        append.commit();
        LakeTableLoader loader = IcebergTableLoader.hadoop(tables.warehouse(), "db", "dim");
        long[] next = {rows};
        return measure(
                "lookup refresh, Iceberg " + name + " update",
                scattered
                        ? String.format(
                                "%d rows deleted in each of the %d files + %,d new rows",
                                CHANGED / FILES, FILES, CHANGED)
                        : String.format("position deletes naming one file + %,d new rows", CHANGED),
                loader,
                true,
                rounds,
                round -> {
                    table.refresh();
                    RowDelta update = table.newRowDelta();
                    if (scattered) {
                        int each = CHANGED / FILES;
                        for (DataFile file : files) {
                            long base = (long) round * each;
                            update.addDeletes(
                                    positionDeletes(
                                            table,
                                            file,
                                            LongStream.range(base, base + each).toArray()));
                        }
                    } else {
                        long base = (long) round * CHANGED;
                        update.addDeletes(
                                positionDeletes(
                                        table,
                                        files.get(0),
                                        LongStream.range(base, base + CHANGED).toArray()));
                    }
                    update.addRows(
                            IcebergTestTables.writeDataFile(table, next[0], next[0] + CHANGED));
                    update.commit();
                    next[0] += CHANGED;
                });
    }

    /**
     * A position delete file that names the one data file it applies to, as merge-on-read writers
     * with file granularity (Spark's default) write them.
     */
    private static DeleteFile positionDeletes(Table table, DataFile file, long... positions)
            throws IOException {
        PositionDeleteWriter<Record> writer =
                new GenericAppenderFactory(table.schema())
                        .newPosDeleteWriter(
                                EncryptedFiles.plainAsEncryptedOutput(
                                        table.io()
                                                .newOutputFile(
                                                        table.locationProvider()
                                                                .newDataLocation(
                                                                        "pos-"
                                                                                + UUID.randomUUID()
                                                                                + ".parquet"))),
                                FileFormat.PARQUET,
                                null);
        try (writer) {
            for (long position : positions) {
                writer.write(PositionDelete.<Record>create().set(file.location(), position));
            }
        }
        return FileMetadata.deleteFileBuilder(table.spec())
                .copy(writer.toDeleteFile())
                .withReferencedDataFile(file.location())
                .build();
    }

    private static BenchPath delta(Path root, long rows, int rounds) throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root.resolve("delta"));
        tables.create("dim", Map.of());
        long perFile = rows / FILES;
        for (int f = 0; f < FILES; f++) {
            tables.append("dim", f * perFile, (f + 1) * perFile);
        }
        long[] next = {rows};
        return measure(
                "lookup refresh, Delta append",
                String.format("%,d rows appended", CHANGED),
                org.flinkconnectors.lake.delta.DeltaTableLoader.path(tables.path("dim")),
                false,
                rounds,
                round -> {
                    tables.append("dim", next[0], next[0] + CHANGED);
                    next[0] += CHANGED;
                });
    }

    private interface Change {
        void commit(int round) throws Exception;
    }

    private static BenchPath measure(
            String what,
            String change,
            LakeTableLoader loader,
            boolean readChanges,
            int rounds,
            Change changes)
            throws Exception {
        LakeLookupReader reader =
                new LakeLookupReader(
                        loader,
                        LakeScanSpec.builder().project(List.of("id", "name")).build(),
                        readChanges);
        LakeLookupIndex cache = new LakeLookupIndex(ROW, new int[] {0});
        OptionalLong version = reader.load(cache);
        List<Double> refreshes = new ArrayList<>();
        List<Double> reloads = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            changes.commit(round);
            long started = System.nanoTime();
            LakeLookupReader.Refresh refresh = reader.planRefresh(version);
            if (refresh.needsReload()) {
                cache = cache.emptyCopy();
                version = reader.load(cache);
            } else {
                reader.apply(refresh.increments(), cache);
                version =
                        OptionalLong.of(
                                refresh.increments()
                                        .get(refresh.increments().size() - 1)
                                        .version());
            }
            refreshes.add((System.nanoTime() - started) / 1e6);

            LakeLookupIndex fresh = cache.emptyCopy();
            started = System.nanoTime();
            reader.load(fresh);
            reloads.add((System.nanoTime() - started) / 1e6);
            if (fresh.size() != cache.size()) {
                throw new IllegalStateException(
                        what + ": refreshed " + cache.size() + " rows, reloaded " + fresh.size());
            }
            System.out.printf(
                    "%s round %d: refresh %.1f ms (%s), reload %.1f ms, %,d rows%n",
                    what,
                    round,
                    refreshes.get(round),
                    refresh.needsReload()
                            ? "reloaded: " + refresh.reloadReason()
                            : refresh.files() + " files",
                    reloads.get(round),
                    cache.size());
        }
        return new BenchPath(
                "lookup",
                what,
                change + " per round, incremental refresh vs loading the table again",
                BenchPath.MILLIS,
                List.of(
                        BenchVariant.ofValues("full reload", Role.RAW, reloads),
                        BenchVariant.ofValues("incremental refresh", Role.OURS, refreshes)));
    }
}
