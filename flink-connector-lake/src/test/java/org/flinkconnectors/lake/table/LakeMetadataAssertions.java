package org.flinkconnectors.lake.table;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CollectionUtil;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers of the metadata column tests: rows by id and file locations as local paths. */
final class LakeMetadataAssertions {

    private LakeMetadataAssertions() {}

    static List<Row> rows(TableEnvironment env, String query) throws Exception {
        return CollectionUtil.iteratorToList(env.executeSql(query).collect());
    }

    /** Rows keyed by their first field, an id. */
    static Map<Long, Row> byId(List<Row> rows) {
        return rows.stream().collect(Collectors.toMap(row -> (Long) row.getField(0), r -> r));
    }

    /** A location as a table's metadata records it ({@code file:/...} or a plain path). */
    static Path onDisk(Object location) {
        String text = String.valueOf(location);
        return (text.startsWith("file:") ? Paths.get(URI.create(text)) : Paths.get(text))
                .toAbsolutePath()
                .normalize();
    }

    /** The Parquet files under a directory, as absolute paths. */
    static List<Path> dataFilesOnDisk(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".parquet"))
                    .map(file -> file.toAbsolutePath().normalize())
                    .collect(Collectors.toList());
        }
    }
}
