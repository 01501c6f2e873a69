package org.flinkconnectors.lake.testutils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Delta commits that Kernel does not write, written into the log as the Delta protocol specifies
 * them, for unpartitioned tables: a compaction that rewrites files without changing rows, as
 * OPTIMIZE does, and a delete of whole files.
 */
public final class DeltaLogCommits {

    private DeltaLogCommits() {}

    /**
     * Commits an OPTIMIZE-like version: each file is copied under a new name (the same rows in a
     * new file), the old files are removed and the copies added, all with {@code dataChange =
     * false}. Returns the version.
     */
    public static long compact(
            DeltaTestTables tables, String table, List<DeltaTestTables.DataFile> files)
            throws IOException {
        long now = System.currentTimeMillis();
        StringBuilder commit = new StringBuilder(commitInfo("OPTIMIZE", now));
        Path root = Path.of(tables.path(table));
        for (DeltaTestTables.DataFile file : files) {
            String copy = "part-compacted-" + UUID.randomUUID() + ".parquet";
            Files.copy(root.resolve(file.path()), root.resolve(copy));
            commit.append(remove(file, false, now)).append(add(copy, file.size(), now, false));
        }
        return tables.commitJson(table, commit.toString());
    }

    /** Commits a DELETE that removes whole files ({@code dataChange = true}). */
    public static long deleteFiles(
            DeltaTestTables tables, String table, List<DeltaTestTables.DataFile> files)
            throws IOException {
        long now = System.currentTimeMillis();
        StringBuilder commit = new StringBuilder(commitInfo("DELETE", now));
        for (DeltaTestTables.DataFile file : files) {
            commit.append(remove(file, true, now));
        }
        return tables.commitJson(table, commit.toString());
    }

    private static String commitInfo(String operation, long now) {
        return String.format(
                "{\"commitInfo\":{\"timestamp\":%d,\"operation\":\"%s\","
                        + "\"operationParameters\":{},\"isBlindAppend\":false}}%n",
                now, operation);
    }

    private static String remove(DeltaTestTables.DataFile file, boolean dataChange, long now) {
        return String.format(
                "{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":%d,\"dataChange\":%b,"
                        + "\"extendedFileMetadata\":true,\"partitionValues\":{},\"size\":%d}}%n",
                file.path(), now, dataChange, file.size());
    }

    private static String add(String path, long size, long modificationTime, boolean dataChange) {
        return String.format(
                "{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":%d,"
                        + "\"modificationTime\":%d,\"dataChange\":%b}}%n",
                path, size, modificationTime, dataChange);
    }
}
