package org.flinkconnectors.lake.sink;

import org.flinkconnectors.lake.core.LakeRowKeySelector;
import org.flinkconnectors.lake.delta.DeltaTableLoader;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link LakeSinkBuilder#primaryKey} and distribution build, on real tables on disk. */
class LakeSinkBuilderKeysTest {

    private static final RowType ROW =
            RowType.of(
                    new org.apache.flink.table.types.logical.LogicalType[] {
                        new BigIntType(false), new VarCharType(VarCharType.MAX_LENGTH)
                    },
                    new String[] {"id", "name"});

    @TempDir Path dir;

    @Test
    void aPrimaryKeyKeysTheWritersAndRejectsOverwrite() {
        IcebergTestTables tables = new IcebergTestTables(dir);
        tables.create("users");
        IcebergTableLoader loader =
                IcebergTableLoader.hadoop(tables.warehouse(), IcebergTestTables.DATABASE, "users");

        LakeSink sink =
                LakeSink.builder().table(loader).rowType(ROW).primaryKey(List.of("id")).build();

        assertThat(sink.isKeyedBeforeWriters()).isTrue();
        assertThat(LakeSink.builder().table(loader).rowType(ROW).build().isKeyedBeforeWriters())
                .as("unpartitioned, no key: rows stay where they are")
                .isFalse();
        assertThatThrownBy(
                        () ->
                                LakeSink.builder()
                                        .table(loader)
                                        .rowType(ROW)
                                        .primaryKey(List.of("id"))
                                        .overwrite(true)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("with a primary key [id] is not supported");
        assertThatThrownBy(
                        () ->
                                LakeSink.builder()
                                        .table(loader)
                                        .rowType(ROW)
                                        .primaryKey(List.of("email"))
                                        .build())
                .hasMessageContaining("'email' is not a column");
    }

    @Test
    void aDeltaTableCannotBeUpserted() {
        DeltaTestTables delta = new DeltaTestTables(dir);
        String path = delta.create("events", Map.of());

        assertThatThrownBy(
                        () ->
                                LakeSink.builder()
                                        .table(DeltaTableLoader.path(path))
                                        .rowType(ROW)
                                        .primaryKey(List.of("id"))
                                        .build())
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot be upserted");
    }

    @Test
    void equalKeysGetEqualHashesWhateverTheRestOfTheRow() {
        LakeRowKeySelector byId = new LakeRowKeySelector(ROW, List.of("id"));
        LakeRowKeySelector byName = new LakeRowKeySelector(ROW, List.of("name"));

        GenericRowData a = GenericRowData.of(7L, StringData.fromString("a"));
        GenericRowData b = GenericRowData.of(7L, StringData.fromString("b"));

        assertThat(byId.getKey(a)).isEqualTo(byId.getKey(b));
        assertThat(byName.getKey(a)).isNotEqualTo(byName.getKey(b));
        assertThat(byName.getKey(GenericRowData.of(1L, StringData.fromString("a"))))
                .isEqualTo(byName.getKey(a));
        assertThatThrownBy(() -> new LakeRowKeySelector(ROW, List.of("nope")))
                .hasMessageContaining("'nope'");
    }
}
