package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.LakeSchemaChangeTestBase;

import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Schema changes while a streaming read of a Delta table runs; see {@link
 * LakeSchemaChangeTestBase}. Dropping and renaming columns need column mapping, so the table has
 * it; files are read by physical name, which a rename keeps.
 */
class DeltaStreamingSchemaChangeITCase extends LakeSchemaChangeTestBase {

    private static final String TABLE = "stream";

    @TempDir Path root;

    private DeltaTestTables tables;

    @BeforeEach
    void createTable() {
        tables = new DeltaTestTables(root);
        tables.create(TABLE, Map.of("delta.columnMapping.mode", "name"));
    }

    @Override
    protected long append(long from, long to) throws Exception {
        StructType schema = tables.latest(TABLE).getSchema();
        List<Object[]> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            Object[] row = new Object[schema.length()];
            for (int column = 0; column < row.length; column++) {
                String name = schema.at(column).getName();
                row[column] =
                        name.equals("id")
                                ? (Object) id
                                : name.equals("extra") ? "extra-" + id : "name-" + id;
            }
            rows.add(row);
        }
        return tables.appendColumnMapped(TABLE, rows);
    }

    @Override
    protected void addColumn() {
        StructType schema = tables.latest(TABLE).getSchema();
        tables.updateSchema(TABLE, schema.add("extra", StringType.STRING, true));
    }

    @Override
    protected void dropName() {
        StructType schema = tables.latest(TABLE).getSchema();
        List<StructField> kept =
                schema.fields().stream().filter(f -> !f.getName().equals("name")).toList();
        tables.updateSchema(TABLE, new StructType(kept));
    }

    @Override
    protected void renameName() {
        tables.renameColumn(TABLE, "name", "label");
    }

    @Override
    protected LakeTableLoader loader() {
        return DeltaTableLoader.path(tables.path(TABLE));
    }
}
