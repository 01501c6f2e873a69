package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.source.LakeSource;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import io.delta.kernel.defaults.engine.DefaultEngine;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interoperability: the lake source reads a Delta table whose deletion vectors Apache Spark wrote,
 * the fixture {@code src/test/resources/delta/spark_dv_table}.
 *
 * <p>How the fixture was made (once, outside this build): Spark 3.5.3 ({@code spark-sql_2.13}) with
 * {@code delta-spark_2.13} 3.3.0, {@code local[1]}, on Java 17 with the usual {@code --add-opens}
 * flags, Delta's SQL extension and catalog configured, ran:
 *
 * <pre>{@code
 * CREATE TABLE delta.`<dir>` (id BIGINT, name STRING) USING delta
 *     TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')          -- version 0
 * INSERT INTO delta.`<dir>` SELECT id, concat('name-', id) FROM range(0, 20, 1, 1)   -- 1
 * DELETE FROM delta.`<dir>` WHERE id % 3 = 0                         -- 2: a DV on file 1
 * INSERT INTO delta.`<dir>` SELECT id, concat('name-', id) FROM range(20, 30, 1, 1)  -- 3
 * DELETE FROM delta.`<dir>` WHERE id IN (4, 25)                      -- 4: DVs of both files
 * }</pre>
 *
 * <p>Spark kept every data file and wrote the deletes as deletion vector files ({@code u} storage):
 * version 4 updates file 1's vector and adds one to file 2, both in one new file at offsets 1 and
 * 57. Hadoop's {@code .crc} side files were left out; the Delta log is as Spark wrote it.
 */
class DeltaSparkDeletionVectorsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void rowsDeletedBySparksDeletionVectorsAreNotRead() throws Exception {
        List<String> expected = expected(0, 20, id -> id % 3 != 0 && id != 4);
        expected.addAll(expected(20, 30, id -> id != 25));

        List<String> rows = read(LakeScanSpec.latest());

        assertThat(rows).hasSize(21).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(DeltaKernelReads.rows(DefaultEngine.create(new Configuration()), table()))
                .as("Kernel's own scan agrees")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void timeTravelReadsTheFirstDeletionVector() throws Exception {
        LakeScanSpec version2 =
                LakeScanSpec.builder().version(LakeVersionSelector.version(2)).build();

        assertThat(read(version2))
                .containsExactlyInAnyOrderElementsOf(expected(0, 20, id -> id % 3 != 0));
    }

    private static List<String> expected(long fromId, long toId, LongPredicate kept) {
        return new ArrayList<>(
                LongStream.range(fromId, toId)
                        .filter(kept)
                        .mapToObj(id -> id + ",name-" + id)
                        .toList());
    }

    private static String table() throws URISyntaxException {
        return Path.of(
                        Objects.requireNonNull(
                                        DeltaSparkDeletionVectorsITCase.class.getResource(
                                                "/delta/spark_dv_table"))
                                .toURI())
                .toString();
    }

    private static List<String> read(LakeScanSpec spec) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        LakeSource<RowData> source =
                LakeSource.builder().table(DeltaTableLoader.path(table())).scan(spec).build();
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "lake")
                        .executeAndCollect()) {
            it.forEachRemaining(row -> rows.add(row.getLong(0) + "," + row.getString(1)));
        }
        return rows;
    }
}
