package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;
import org.flinkconnectors.lake.core.LakeTable;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads changelog increments of Delta tables through the lake SPI for tests, and checks them
 * against batch reads: the rows of version v-1 minus the deleted rows plus the inserted rows are
 * the rows of v, every deleted row was a row of v-1, and deletes come before inserts.
 */
final class DeltaChangeReads {

    static final LakeScanSpec CHANGELOG = LakeScanSpec.builder().changelog(true).build();

    private DeltaChangeReads() {}

    /** The change rows of a version, as {@code "-D v1,v2"} / {@code "+I v1,v2"}, in order. */
    static Changes assertChangesMatch(LakeTable lake, long version) throws Exception {
        Map<String, Integer> rows =
                version == 0 ? new HashMap<>() : counts(batch(lake, version - 1));
        Map<String, Integer> before = new HashMap<>(rows);

        LakeIncrement increment = lake.planIncrement(version, CHANGELOG);
        assertThat(increment.kind())
                .as("kind of version %s", version)
                .isEqualTo(LakeIncrement.Kind.CHANGES);
        LakeReaderFactory reader = lake.createReaderFactory(OptionalLong.of(version), CHANGELOG);
        RowType type = lake.producedType(OptionalLong.of(version), CHANGELOG);
        Changes changes = new Changes();
        boolean inserting = false;
        for (LakeSplit split : increment.splits()) {
            ChangePhase phase = split.changePhase().orElseThrow();
            assertThat(inserting && phase == ChangePhase.DELETE)
                    .as("delete splits come before insert splits")
                    .isFalse();
            inserting |= phase == ChangePhase.INSERT;
            changes.routingKeys.add(split.routingKey().orElseThrow());
            for (String row : read(reader, split, type)) {
                String value = row.substring(3);
                changes.all.add(row);
                if (phase == ChangePhase.DELETE) {
                    assertThat(row).startsWith("-D ");
                    assertThat(before.getOrDefault(value, 0))
                            .as("deleted row %s of split %s was a row before", value, split)
                            .isPositive();
                    assertThat(rows.merge(value, -1, Integer::sum))
                            .as("deleted row %s is deleted once", value)
                            .isNotNegative();
                    changes.deletes.add(value);
                } else {
                    assertThat(row).startsWith("+I ");
                    rows.merge(value, 1, Integer::sum);
                    changes.inserts.add(value);
                }
            }
        }
        rows.values().removeIf(count -> count == 0);
        assertThat(rows)
                .as("rows after version %s", version)
                .isEqualTo(counts(batch(lake, version)));
        return changes;
    }

    static List<String> batch(LakeTable lake, long version) throws Exception {
        LakeScanSpec spec = LakeScanSpec.latest();
        LakeReaderFactory reader = lake.createReaderFactory(OptionalLong.of(version), spec);
        RowType type = lake.producedType(OptionalLong.of(version), spec);
        List<String> rows = new ArrayList<>();
        for (LakeSplit split : lake.planSplits(version, spec)) {
            for (String row : read(reader, split, type)) {
                rows.add(row.substring(3));
            }
        }
        return rows;
    }

    /** Rows as {@code "<kind> <v1>,<v2>,..."} with null as the empty string. */
    static List<String> read(LakeReaderFactory reader, LakeSplit split, RowType type)
            throws Exception {
        List<RowData.FieldGetter> getters = new ArrayList<>();
        for (int i = 0; i < type.getFieldCount(); i++) {
            getters.add(RowData.createFieldGetter(type.getTypeAt(i), i));
        }
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<RowData> iterator = reader.open(split)) {
            while (iterator.hasNext()) {
                RowData row = iterator.next();
                List<String> values = new ArrayList<>();
                getters.forEach(g -> values.add(Objects.toString(g.getFieldOrNull(row), "")));
                rows.add(row.getRowKind().shortString() + " " + String.join(",", values));
            }
        }
        return rows;
    }

    static Map<String, Integer> counts(List<String> rows) {
        Map<String, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.merge(row, 1, Integer::sum));
        return counts;
    }

    /** What a version's splits yielded. */
    static final class Changes {
        final List<String> all = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();
        final List<String> inserts = new ArrayList<>();
        final List<String> routingKeys = new ArrayList<>();
    }
}
