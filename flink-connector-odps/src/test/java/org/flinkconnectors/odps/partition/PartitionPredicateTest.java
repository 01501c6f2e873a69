package org.flinkconnectors.odps.partition;

import org.flinkconnectors.odps.partition.PartitionPredicate.Operator;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.util.InstantiationUtil;

import com.aliyun.odps.PartitionSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.odps.partition.PartitionPredicate.and;
import static org.flinkconnectors.odps.partition.PartitionPredicate.compare;
import static org.flinkconnectors.odps.partition.PartitionPredicate.in;
import static org.flinkconnectors.odps.partition.PartitionPredicate.isNotNull;
import static org.flinkconnectors.odps.partition.PartitionPredicate.isNull;
import static org.flinkconnectors.odps.partition.PartitionPredicate.not;
import static org.flinkconnectors.odps.partition.PartitionPredicate.or;

/** Evaluating partition predicates: typed comparisons and SQL's three-valued logic. */
class PartitionPredicateTest {

    private static final List<String> SPECS =
            List.of(
                    "ds=20251231/hh=23",
                    "ds=20260101/hh=00",
                    "ds=20260101/hh=9",
                    "ds=20260102/hh=10");

    private static List<String> selected(PartitionPredicate predicate) {
        return SPECS.stream()
                .filter(spec -> predicate.test(new PartitionSpec(spec)))
                .collect(Collectors.toList());
    }

    private static PartitionPredicate ds(Operator op, String value) {
        return compare("ds", PartitionValueType.STRING, op, value);
    }

    private static PartitionPredicate hh(Operator op, long value) {
        return compare("hh", PartitionValueType.INT, op, value);
    }

    private static Map<String, String> partition(String... keyValues) {
        Map<String, String> partition = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            partition.put(keyValues[i], keyValues[i + 1]);
        }
        return partition;
    }

    @Test
    void stringComparisonsAreLexicographic() {
        assertThat(selected(ds(Operator.EQUALS, "20260101")))
                .containsExactly("ds=20260101/hh=00", "ds=20260101/hh=9");
        assertThat(selected(ds(Operator.NOT_EQUALS, "20260101")))
                .containsExactly("ds=20251231/hh=23", "ds=20260102/hh=10");
        assertThat(selected(ds(Operator.LESS_THAN, "20260101"))).containsExactly(SPECS.get(0));
        assertThat(selected(ds(Operator.LESS_THAN_OR_EQUAL, "20260101"))).hasSize(3);
        assertThat(selected(ds(Operator.GREATER_THAN, "20260101"))).containsExactly(SPECS.get(3));
        assertThat(selected(ds(Operator.GREATER_THAN_OR_EQUAL, "2026"))).hasSize(3);
        // As strings, '9' > '10'.
        assertThat(selected(compare("hh", PartitionValueType.STRING, Operator.GREATER_THAN, "10")))
                .containsExactly("ds=20251231/hh=23", "ds=20260101/hh=9");
    }

    @Test
    void stringsCompareByCodePoint() {
        PartitionPredicate belowEmoji =
                compare("ds", PartitionValueType.STRING, Operator.LESS_THAN, "\uD83D\uDE00");

        assertThat(belowEmoji.test(partition("ds", "\uFF21"))).isTrue();
    }

    @Test
    void integerComparisonsAreNumeric() {
        assertThat(selected(hh(Operator.GREATER_THAN, 8)))
                .containsExactly("ds=20251231/hh=23", "ds=20260101/hh=9", "ds=20260102/hh=10");
        assertThat(selected(hh(Operator.EQUALS, 0))).containsExactly("ds=20260101/hh=00");
        assertThat(selected(hh(Operator.LESS_THAN_OR_EQUAL, 9)))
                .containsExactly("ds=20260101/hh=00", "ds=20260101/hh=9");
    }

    @Test
    void valuesThatDoNotParseAsTheTypeCompareFalse() {
        Map<String, String> notANumber = partition("hh", "x1");
        Map<String, String> outOfRange = partition("hh", "300");

        for (Operator op : Operator.values()) {
            assertThat(hh(op, 1).test(notANumber)).as(op.name()).isFalse();
            assertThat(compare("hh", PartitionValueType.TINYINT, op, 1).test(outOfRange))
                    .as(op.name())
                    .isFalse();
        }
        assertThat(in("hh", PartitionValueType.INT, List.of(1L)).test(notANumber)).isFalse();
        assertThat(
                        compare("hh", PartitionValueType.SMALLINT, Operator.EQUALS, 300)
                                .test(outOfRange))
                .isTrue();
        assertThat(
                        compare("hh", PartitionValueType.BIGINT, Operator.EQUALS, 1)
                                .test(partition("hh", "1 ")))
                .isFalse();
        // A comparison that is false, not unknown, so NOT makes it true.
        assertThat(not(hh(Operator.EQUALS, 1)).test(notANumber)).isTrue();
    }

    @Test
    void inLists() {
        assertThat(
                        selected(
                                PartitionPredicate.in(
                                        "ds", PartitionValueType.STRING, List.of("20251231", "x"))))
                .containsExactly("ds=20251231/hh=23");
        assertThat(
                        selected(
                                PartitionPredicate.in(
                                        "hh", PartitionValueType.INT, List.of(9, 10L, (short) 0))))
                .containsExactly("ds=20260101/hh=00", "ds=20260101/hh=9", "ds=20260102/hh=10");
    }

    @Test
    void nullsFollowThreeValuedLogic() {
        Map<String, String> p = partition("ds", "1");
        PartitionPredicate unknown =
                compare("ds", PartitionValueType.STRING, Operator.EQUALS, null);
        PartitionPredicate inWithNull =
                in("ds", PartitionValueType.STRING, Arrays.asList("2", null));

        assertThat(unknown.test(p)).isFalse();
        assertThat(not(unknown).test(p)).isFalse();
        assertThat(inWithNull.test(p)).isFalse();
        assertThat(not(inWithNull).test(p)).isFalse();
        assertThat(in("ds", PartitionValueType.STRING, Arrays.asList("1", null)).test(p)).isTrue();
        assertThat(or(unknown, ds(Operator.EQUALS, "1")).test(p)).isTrue();
        assertThat(not(or(unknown, ds(Operator.EQUALS, "2"))).test(p)).isFalse();
        assertThat(not(and(unknown, ds(Operator.EQUALS, "2"))).test(p)).isTrue();
        assertThat(and(unknown, ds(Operator.EQUALS, "1")).test(p)).isFalse();
    }

    @Test
    void aMissingColumnIsNull() {
        Map<String, String> p = partition("ds", "1");

        assertThat(isNull("hh").test(p)).isTrue();
        assertThat(isNotNull("hh").test(p)).isFalse();
        assertThat(isNull("ds").test(p)).isFalse();
        assertThat(isNotNull("ds").test(p)).isTrue();
        assertThat(hh(Operator.NOT_EQUALS, 1).test(p)).isFalse();
        assertThat(not(hh(Operator.EQUALS, 1)).test(p)).isFalse();
        assertThat(in("hh", PartitionValueType.INT, List.of(1)).test(p)).isFalse();
    }

    @Test
    void columnNamesMatchCaseInsensitively() {
        assertThat(ds(Operator.EQUALS, "1").test(partition("DS", "1"))).isTrue();
        assertThat(ds(Operator.EQUALS, "1").test(partition("DS", "2", "ds", "1"))).isTrue();
    }

    @Test
    void booleanOperators() {
        PartitionPredicate range =
                and(ds(Operator.GREATER_THAN_OR_EQUAL, "20260101"), hh(Operator.LESS_THAN, 10));
        assertThat(selected(range)).containsExactly("ds=20260101/hh=00", "ds=20260101/hh=9");

        PartitionPredicate either = or(ds(Operator.LESS_THAN, "2026"), hh(Operator.EQUALS, 10));
        assertThat(selected(either)).containsExactly("ds=20251231/hh=23", "ds=20260102/hh=10");

        assertThat(selected(not(either))).containsExactly("ds=20260101/hh=00", "ds=20260101/hh=9");
        assertThat(and(List.of(range))).isSameAs(range);
    }

    @Test
    void toStringIsReadable() {
        PartitionPredicate predicate =
                and(
                        or(ds(Operator.GREATER_THAN_OR_EQUAL, "2026"), isNull("ds")),
                        not(in("hh", PartitionValueType.INT, Arrays.asList(1, 2, null))),
                        ds(Operator.NOT_EQUALS, "it's"),
                        isNotNull("hh"));

        assertThat(predicate.toString())
                .isEqualTo(
                        "((ds >= '2026' OR ds IS NULL) AND NOT (hh IN (1, 2, NULL))"
                                + " AND ds <> 'it''s' AND hh IS NOT NULL)");
    }

    @Test
    void equalityAndSerialization() throws Exception {
        PartitionPredicate predicate =
                and(
                        or(ds(Operator.GREATER_THAN_OR_EQUAL, "2026"), isNull("ds")),
                        not(in("hh", PartitionValueType.INT, Arrays.asList(1, 2L, null))));
        PartitionPredicate same =
                and(
                        or(ds(Operator.GREATER_THAN_OR_EQUAL, "2026"), isNull("ds")),
                        not(in("hh", PartitionValueType.INT, Arrays.asList(1L, 2, null))));

        PartitionPredicate copy =
                InstantiationUtil.deserializeObject(
                        InstantiationUtil.serializeObject(predicate), getClass().getClassLoader());

        assertThat(copy).isEqualTo(predicate).isEqualTo(same).hasSameHashCodeAs(predicate);
        assertThat(selected(copy)).isEqualTo(selected(predicate));
        assertThat(predicate).isNotEqualTo(or(predicate, isNull("x")));
        assertThat(hh(Operator.EQUALS, 1)).isNotEqualTo(hh(Operator.NOT_EQUALS, 1));
    }

    @Test
    void literalsMustFitTheValueType() {
        assertThatThrownBy(() -> compare("ds", PartitionValueType.STRING, Operator.EQUALS, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> compare("hh", PartitionValueType.INT, Operator.EQUALS, "1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> compare("hh", PartitionValueType.INT, Operator.EQUALS, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> in("hh", PartitionValueType.INT, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valueTypesOfFlinkTypes() {
        assertThat(PartitionValueType.of(DataTypes.STRING().getLogicalType()))
                .contains(PartitionValueType.STRING);
        assertThat(PartitionValueType.of(DataTypes.CHAR(3).getLogicalType()))
                .contains(PartitionValueType.STRING);
        assertThat(PartitionValueType.of(DataTypes.TINYINT().getLogicalType()))
                .contains(PartitionValueType.TINYINT);
        assertThat(PartitionValueType.of(DataTypes.SMALLINT().getLogicalType()))
                .contains(PartitionValueType.SMALLINT);
        assertThat(PartitionValueType.of(DataTypes.INT().getLogicalType()))
                .contains(PartitionValueType.INT);
        assertThat(PartitionValueType.of(DataTypes.BIGINT().getLogicalType()))
                .contains(PartitionValueType.BIGINT);
        assertThat(PartitionValueType.of(DataTypes.DATE().getLogicalType())).isEmpty();
        assertThat(PartitionValueType.of(DataTypes.DECIMAL(10, 0).getLogicalType())).isEmpty();
    }

    @Test
    void swappedOperators() {
        assertThat(Operator.LESS_THAN.swapped()).isEqualTo(Operator.GREATER_THAN);
        assertThat(Operator.GREATER_THAN_OR_EQUAL.swapped()).isEqualTo(Operator.LESS_THAN_OR_EQUAL);
        assertThat(Operator.EQUALS.swapped()).isEqualTo(Operator.EQUALS);
        assertThat(Operator.NOT_EQUALS.swapped()).isEqualTo(Operator.NOT_EQUALS);
    }
}
