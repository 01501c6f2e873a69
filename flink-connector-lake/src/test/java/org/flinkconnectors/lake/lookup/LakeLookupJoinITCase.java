package org.flinkconnectors.lake.lookup;

import org.flinkconnectors.lake.testutils.LakeTestTable;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processing-time lookup joins against Iceberg and Delta tables on a MiniCluster while another
 * writer commits to the dimension table: the join sees new rows within a refresh interval of their
 * commit (read incrementally), and rows a commit removes disappear (by a reload).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LakeLookupJoinITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** How long a committed change may take to reach the join: one interval plus job latency. */
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private static final Duration SEEN_WITHIN = Duration.ofSeconds(15);

    @TempDir Path root;

    static List<String> formats() {
        return LakeTestTable.formats();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void theFullCacheSeesAppendsAndRemovalsWhileTheJoinRuns(String format) throws Exception {
        LakeTestTable dim = LakeTestTable.create(format, root, "dim");
        long first = dim.append(0, 100);
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(env, dim, "'lookup.full-cache.periodic-reload.interval' = '1 s'");

        TableResult join = env.executeSql(joinQuery());
        try (CloseableIterator<Row> rows = join.collect()) {
            // Before the append, probes of ids 100..199 find nothing.
            expectOnly(rows, 200, id -> id < 100);

            dim.append(100, 200);
            long appended = System.nanoTime();
            awaitRow(rows, id -> id >= 100);
            assertThat(Duration.ofNanos(System.nanoTime() - appended)).isLessThan(SEEN_WITHIN);

            dim.removeAppend(first);
            long removed = System.nanoTime();
            // 300 probes in a row of ids 100..199 only: ids 0..99, half of the probes, are gone.
            awaitRun(rows, 300, id -> id >= 100);
            assertThat(Duration.ofNanos(System.nanoTime() - removed))
                    .isLessThan(SEEN_WITHIN.plus(Duration.ofSeconds(5)));
        } finally {
            join.getJobClient().orElseThrow().cancel();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void partialAndNoCacheReadTheLatestVersionPerMiss(String format) throws Exception {
        LakeTestTable dim = LakeTestTable.create(format, root, "dim");
        dim.append(0, 100);
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(env, dim, "'lookup.cache' = 'NONE'");

        TableResult join = env.executeSql(joinQuery());
        try (CloseableIterator<Row> rows = join.collect()) {
            expectOnly(rows, 50, id -> id < 100);
            dim.append(100, 200);
            awaitRow(rows, id -> id >= 100);
        } finally {
            join.getJobClient().orElseThrow().cancel();
        }

        TableEnvironment partial = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        declare(partial, dim, "'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '50'");
        TableResult cached = partial.executeSql(joinQuery());
        try (CloseableIterator<Row> rows = cached.collect()) {
            expectOnly(rows, 200, id -> id < 200);
        } finally {
            cached.getJobClient().orElseThrow().cancel();
        }
    }

    private static void declare(TableEnvironment env, LakeTestTable dim, String lookupOptions) {
        env.executeSql(
                "CREATE TABLE probes (id BIGINT, proc AS PROCTIME()) WITH ('connector' ="
                        + " 'datagen', 'rows-per-second' = '200', 'fields.id.min' = '0',"
                        + " 'fields.id.max' = '199')");
        env.executeSql(
                "CREATE TABLE dim (id BIGINT NOT NULL, name STRING) WITH ('connector' = 'lake', "
                        + dim.options()
                        + ", "
                        + lookupOptions
                        + ")");
    }

    private static String joinQuery() {
        return "SELECT p.id, d.name FROM probes AS p JOIN dim FOR SYSTEM_TIME AS OF p.proc AS d"
                + " ON p.id = d.id";
    }

    private interface IdCheck {
        boolean test(long id);
    }

    /** The next {@code count} joined rows all pass, with the dimension's own name. */
    private static void expectOnly(CloseableIterator<Row> rows, int count, IdCheck check) {
        for (int i = 0; i < count; i++) {
            long id = checkedId(rows.next());
            assertThat(check.test(id)).as("joined id %d", id).isTrue();
        }
    }

    private static void awaitRow(CloseableIterator<Row> rows, IdCheck check) {
        awaitRun(rows, 1, check);
    }

    /** Reads joined rows until {@code run} in a row pass; fails after {@link #SEEN_WITHIN}. */
    private static void awaitRun(CloseableIterator<Row> rows, int run, IdCheck check) {
        long deadline = System.nanoTime() + SEEN_WITHIN.plus(REFRESH).plusSeconds(5).toNanos();
        int passed = 0;
        while (passed < run) {
            assertThat(System.nanoTime()).as("waiting for the change").isLessThan(deadline);
            passed = check.test(checkedId(rows.next())) ? passed + 1 : 0;
        }
    }

    private static long checkedId(Row row) {
        long id = (Long) row.getField(0);
        assertThat(row.getField(1)).isEqualTo("name-" + id);
        return id;
    }
}
