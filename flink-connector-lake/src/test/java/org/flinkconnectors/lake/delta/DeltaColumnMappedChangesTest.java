package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.delta.DeltaChangeReads.Changes;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.DeltaTestTables.DataFile;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.internal.util.ColumnMapping;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.lake.delta.DeltaChangeReads.assertChangesMatch;

/**
 * A change data file of a table with column mapping, written here as a writer with the change data
 * feed writes one (the physical columns plus {@code _change_type}): its rows come under the logical
 * names of the version, after a rename, and only its rows count, not the rewritten data file's.
 */
class DeltaColumnMappedChangesTest {

    @TempDir Path root;

    @Test
    void changeDataFilesAreReadUnderLogicalNames() throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root);
        tables.create(
                "cm",
                Map.of("delta.columnMapping.mode", "name", "delta.enableChangeDataFeed", "true"));
        DataFile old = tables.addedIn("cm", tables.appendColumnMapped("cm", 0, 3));
        tables.renameColumn("cm", "name", "label");

        StructType physical = physicalSchema(tables.latest("cm").getSchema());
        DataFileStatus rewritten =
                write(
                        tables,
                        tables.path("cm"),
                        physical,
                        List.of(
                                new Object[] {0L, "name-0"},
                                new Object[] {1L, "name-1-u"},
                                new Object[] {2L, "name-2"}));
        DataFileStatus changes =
                write(
                        tables,
                        tables.path("cm") + "/_change_data",
                        physical.add(DeltaChangeReader.CHANGE_TYPE, StringType.STRING),
                        List.of(
                                new Object[] {1L, "name-1", "update_preimage"},
                                new Object[] {1L, "name-1-u", "update_postimage"}));
        long update =
                tables.commitJson(
                        "cm",
                        String.format(
                                "{\"commitInfo\":{\"timestamp\":%1$d,\"operation\":\"UPDATE\"}}%n"
                                        + "{\"remove\":{\"path\":\"%2$s\",\"deletionTimestamp\":"
                                        + "%1$d,\"dataChange\":true,\"extendedFileMetadata\":true,"
                                        + "\"partitionValues\":{},\"size\":%3$d}}%n"
                                        + "{\"add\":{\"path\":\"%4$s\",\"partitionValues\":{},"
                                        + "\"size\":%5$d,\"modificationTime\":%1$d,"
                                        + "\"dataChange\":true}}%n"
                                        + "{\"cdc\":{\"path\":\"_change_data/%6$s\","
                                        + "\"partitionValues\":{},\"size\":%7$d,"
                                        + "\"dataChange\":false}}%n",
                                System.currentTimeMillis(),
                                old.path(),
                                old.size(),
                                fileName(rewritten),
                                rewritten.getSize(),
                                fileName(changes),
                                changes.getSize()));

        try (LakeTable lake = DeltaTableLoader.path(tables.path("cm")).load()) {
            Changes changed = assertChangesMatch(lake, update);
            assertThat(changed.all).containsExactly("-D 1,name-1", "+I 1,name-1-u");
        }
    }

    private static StructType physicalSchema(StructType logical) {
        List<StructField> fields = new ArrayList<>();
        for (StructField field : logical.fields()) {
            fields.add(
                    new StructField(
                            ColumnMapping.getPhysicalName(field),
                            field.getDataType(),
                            field.isNullable()));
        }
        return new StructType(fields);
    }

    private static DataFileStatus write(
            DeltaTestTables tables, String directory, StructType schema, List<Object[]> rows)
            throws Exception {
        ColumnVector[] vectors = new ColumnVector[schema.length()];
        for (int column = 0; column < vectors.length; column++) {
            List<Object> values = new ArrayList<>();
            for (Object[] row : rows) {
                values.add(row[column]);
            }
            vectors[column] =
                    DefaultGenericVector.fromList(schema.at(column).getDataType(), values);
        }
        FilteredColumnarBatch batch =
                new FilteredColumnarBatch(
                        new DefaultColumnarBatch(rows.size(), schema, vectors), Optional.empty());
        try (CloseableIterator<DataFileStatus> written =
                tables.engine()
                        .getParquetHandler()
                        .writeParquetFiles(
                                directory, Utils.singletonCloseableIterator(batch), List.of())) {
            return written.next();
        }
    }

    private static String fileName(DataFileStatus file) {
        return file.getPath().substring(file.getPath().lastIndexOf('/') + 1);
    }
}
