package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;
import org.flinkconnectors.lake.core.LakeSplitSerializer;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.delta.DeltaChangeReads.Changes;
import org.flinkconnectors.lake.testutils.SparkFixtures;

import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.lake.delta.DeltaChangeReads.CHANGELOG;
import static org.flinkconnectors.lake.delta.DeltaChangeReads.assertChangesMatch;
import static org.flinkconnectors.lake.delta.DeltaChangeReads.read;

/**
 * Changelog reads of the Delta tables Spark wrote with the change data feed ({@link SparkFixtures},
 * read in place): copy-on-write, where UPDATE, DELETE and MERGE left {@code _change_data} files,
 * and with deletion vectors, where the DELETE version left only new deletion vectors of the same
 * files. Every version's changes turn the rows of the version before into its own rows and are the
 * rows Spark's {@code table_changes} returned (pre-images as deletes, post-images as inserts).
 */
class DeltaChangesTest {

    @ParameterizedTest
    @ValueSource(strings = {"spark_cdf_cow", "spark_cdf_dv"})
    void everyVersionChangesTheRowsSparkSaysItChanged(String name) throws Exception {
        try (LakeTable lake = load(name)) {
            assertThat(lake.planIncrement(0, CHANGELOG).kind())
                    .isEqualTo(LakeIncrement.Kind.NO_DATA_CHANGE);
            for (long version = 1; version <= 5; version++) {
                Changes changes = assertChangesMatch(lake, version);
                assertThat(changes.all)
                        .as("%s version %s against Spark's table_changes", name, version)
                        .containsExactlyInAnyOrderElementsOf(sparkChanges(name, version));
                assertThat(changes.routingKeys).allMatch(key -> key.matches("region=(apac|eu|us)"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_cdf_cow", "spark_cdf_dv"})
    void plainReadsStillSeeRewrites(String name) throws Exception {
        try (LakeTable lake = load(name)) {
            assertThat(lake.planIncrement(3, LakeScanSpec.latest()).kind())
                    .isEqualTo(LakeIncrement.Kind.REWRITE);
            assertThat(lake.planIncrement(5, LakeScanSpec.latest()).kind())
                    .isEqualTo(LakeIncrement.Kind.APPEND);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_cdf_cow", "spark_cdf_dv"})
    void projectionAppliesToChangeRowsAndFiltersOnlyPrune(String name) throws Exception {
        LakeScanSpec spec =
                LakeScanSpec.builder()
                        .changelog(true)
                        .project(List.of("region", "amount"))
                        .filter(LakePredicate.equal("region", "eu"))
                        .build();
        try (LakeTable lake = load(name)) {
            for (long version : new long[] {2, 3, 4}) {
                RowType type = lake.producedType(OptionalLong.of(version), spec);
                assertThat(type.getFieldNames()).containsExactly("region", "amount");
                LakeReaderFactory reader = lake.createReaderFactory(OptionalLong.of(version), spec);
                List<String> rows = new ArrayList<>();
                for (LakeSplit split : lake.planIncrement(version, spec).splits()) {
                    rows.addAll(read(reader, split, type));
                }
                // The filter prunes nothing here: the caller filters change rows again.
                assertThat(rows)
                        .as("%s version %s projected", name, version)
                        .containsExactlyInAnyOrderElementsOf(
                                sparkChanges(name, version).stream()
                                        .map(DeltaChangesTest::regionAndAmount)
                                        .toList());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_cdf_cow", "spark_cdf_dv"})
    void restoredChangeSplitsSkipEmittedRows(String name) throws Exception {
        try (LakeTable lake = load(name)) {
            // Version 3 is a DELETE: change data files, or deletion vectors replacing others.
            LakeReaderFactory reader = lake.createReaderFactory(OptionalLong.of(3), CHANGELOG);
            RowType type = lake.producedType(OptionalLong.of(3), CHANGELOG);
            int restoredSplits = 0;
            for (LakeSplit split : lake.planIncrement(3, CHANGELOG).splits()) {
                List<String> rows = read(reader, split, type);
                if (rows.isEmpty()) {
                    continue;
                }
                assertThat(split.changePhase()).contains(ChangePhase.DELETE);
                LakeSplit restored =
                        LakeSplitSerializer.INSTANCE.deserialize(
                                LakeSplitSerializer.CURRENT_VERSION,
                                LakeSplitSerializer.INSTANCE.serialize(split.withRecordsToSkip(1)));
                assertThat(restored).isEqualTo(split.withRecordsToSkip(1));
                assertThat(read(reader, restored, type))
                        .containsExactlyElementsOf(rows.subList(1, rows.size()));
                restoredSplits++;
            }
            assertThat(restoredSplits).isEqualTo(3);
        }
    }

    /** Spark's change rows as {@code "-D id,name,amount,region"} or {@code "+I ..."}. */
    private static List<String> sparkChanges(String name, long version) {
        return SparkFixtures.deltaChanges(name, version).stream()
                .map(
                        line -> {
                            int comma = line.lastIndexOf(',');
                            String type = line.substring(comma + 1);
                            String kind =
                                    type.equals("delete") || type.equals("update_preimage")
                                            ? "-D "
                                            : "+I ";
                            return kind + line.substring(0, comma);
                        })
                .toList();
    }

    /** {@code "-D id,name,amount,region"} as {@code "-D region,amount"}. */
    private static String regionAndAmount(String change) {
        String[] values = change.substring(3).split(",", -1);
        return change.substring(0, 3) + values[3] + "," + values[2];
    }

    private static LakeTable load(String name) {
        return DeltaTableLoader.path(SparkFixtures.deltaTable(name).toString()).load();
    }
}
