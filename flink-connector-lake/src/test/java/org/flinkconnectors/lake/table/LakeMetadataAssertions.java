package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.testutils.LakeTestTable;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CollectionUtil;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Helpers of the metadata column tests: rows by id and file locations as local paths. */
final class LakeMetadataAssertions {

    private LakeMetadataAssertions() {}

    static List<Row> rows(TableEnvironment env, String query) throws Exception {
        return CollectionUtil.iteratorToList(env.executeSql(query).collect());
    }

    /** Rows keyed by their first field, an id. */
    static Map<Long, Row> byId(List<Row> rows) {
        return byField(rows, 0);
    }

    /** Rows keyed by their field {@code index}, an id. */
    static Map<Long, Row> byField(List<Row> rows, int index) {
        return rows.stream().collect(Collectors.toMap(row -> (Long) row.getField(index), r -> r));
    }

    /** A location as a table's metadata records it ({@code file:/...} or a plain path). */
    static Path onDisk(Object location) {
        return LakeTestTable.onDisk(location);
    }

    /** The Parquet files under a directory, as absolute paths. */
    static List<Path> dataFilesOnDisk(Path directory) throws IOException {
        return LakeTestTable.parquetFilesUnder(directory);
    }
}
