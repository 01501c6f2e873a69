package org.flinkconnectors.odps.partition;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Parsing the {@code partition} option and selecting partitions with it. */
class PartitionSpecPatternTest {

    private static final List<String> DS_HH = List.of("ds", "hh");

    private static final List<String> HOURLY =
            List.of(
                    "ds=20251231/hh=23",
                    "ds=20260101/hh=00",
                    "ds=20260101/hh=01",
                    "ds=20260102/hh=00",
                    "ds=20260102/hh=10",
                    "ds=20260102/hh=9");

    private static List<String> select(String pattern, List<String> specs) {
        return PartitionSpecPattern.parse(pattern).select(specs, DS_HH);
    }

    // ------------------------------------------------------------------------------------------
    // Selection
    // ------------------------------------------------------------------------------------------

    @Test
    void exactSpecSelectsOnePartitionWithEitherSeparator() {
        assertThat(select("ds=20260101,hh=01", HOURLY)).containsExactly("ds=20260101/hh=01");
        assertThat(select("ds=20260101/hh=01", HOURLY)).containsExactly("ds=20260101/hh=01");
        assertThat(select(" hh = 01 , ds = '20260101' ", HOURLY))
                .containsExactly("ds=20260101/hh=01");
    }

    @Test
    void omittedKeysMatchEveryValue() {
        assertThat(select("ds=20260101", HOURLY))
                .containsExactly("ds=20260101/hh=00", "ds=20260101/hh=01");
        assertThat(select("hh=00", HOURLY))
                .containsExactly("ds=20260101/hh=00", "ds=20260102/hh=00");
    }

    @Test
    void wildcards() {
        assertThat(select("ds=2026*", HOURLY)).hasSize(5).doesNotContain("ds=20251231/hh=23");
        assertThat(select("ds=*,hh=0*", HOURLY))
                .containsExactly("ds=20260101/hh=00", "ds=20260101/hh=01", "ds=20260102/hh=00");
        assertThat(select("ds=*01,hh=*", HOURLY))
                .containsExactly("ds=20260101/hh=00", "ds=20260101/hh=01");
        assertThat(select("ds=2026*02", HOURLY)).hasSize(3);
        assertThat(select("ds=20260102*", HOURLY)).hasSize(3);
        assertThat(select("ds=2027*", HOURLY)).isEmpty();
    }

    @Test
    void alternativesKeepTheListedOrderWithoutDuplicates() {
        assertThat(select("ds=20260102,hh=00;ds=20251231;ds=2026010*,hh=00", HOURLY))
                .containsExactly("ds=20251231/hh=23", "ds=20260101/hh=00", "ds=20260102/hh=00");
    }

    @Test
    void keysMatchCaseInsensitivelyAndQuotedSpecsAreUnderstood() {
        List<String> specs = List.of("ds='20260101',hh='00'", "ds='20260101',hh='01'");

        assertThat(select("DS=20260101,Hh=01", specs)).containsExactly("ds='20260101',hh='01'");
    }

    @Test
    void maxPtComparesEachLevelAsAString() {
        // '9' > '10' as strings: MaxCompute's order, not the numeric one.
        assertThat(select("max_pt()", HOURLY)).containsExactly("ds=20260102/hh=9");
        assertThat(select("MAX_PT()", List.of("ds=9", "ds=10", "ds=099"), List.of("ds")))
                .containsExactly("ds=9");
        assertThat(select("max_pt()", List.of())).isEmpty();
    }

    private static List<String> select(String pattern, List<String> specs, List<String> keys) {
        return PartitionSpecPattern.parse(pattern).select(specs, keys);
    }

    @Test
    void maxPtComparesByCodePointLikeMaxCompute() {
        // U+FF21 (fullwidth A) sorts below U+1F600 by code point but above it in UTF-16 units.
        String bmp = "ds=\uFF21";
        String supplementary = "ds=\uD83D\uDE00";

        assertThat(select("max_pt()", List.of(supplementary, bmp), List.of("ds")))
                .containsExactly(supplementary);
    }

    @Test
    void maxPtWithDoneNeedsADoneSibling() {
        List<String> daily =
                List.of(
                        "ds=20260101",
                        "ds=20260101.done",
                        "ds=20260102",
                        "ds=20260102.done",
                        "ds=20260103");

        assertThat(select("max_pt_with_done()", daily, List.of("ds")))
                .containsExactly("ds=20260102");
        assertThat(select("max_pt()", daily, List.of("ds"))).containsExactly("ds=20260103");
        assertThat(select("max_pt_with_done()", List.of("ds=1", "ds=2.done"), List.of("ds")))
                .isEmpty();
    }

    @Test
    void maxPtWithDoneLooksAtTheLastLevelWithinTheSameParent() {
        List<String> specs =
                List.of(
                        "ds=20260101/hh=00",
                        "ds=20260101/hh=00.done",
                        "ds=20260101/hh=01",
                        "ds=20260101/hh=01.done",
                        "ds=20260102/hh=00",
                        "ds=20260103/hh=00.done");

        assertThat(select("max_pt_with_done()", specs)).containsExactly("ds=20260101/hh=01");
    }

    // ------------------------------------------------------------------------------------------
    // Static, max_pt, keys
    // ------------------------------------------------------------------------------------------

    @Test
    void staticPatterns() {
        PartitionSpecPattern full = PartitionSpecPattern.parse("hh=00,ds=20260101");
        PartitionSpecPattern partial = PartitionSpecPattern.parse("ds=20260101");

        assertThat(full.isStatic()).isTrue();
        assertThat(full.isDynamicMaxPt()).isFalse();
        assertThat(full.staticPartition(DS_HH))
                .containsExactly(entry("ds", "20260101"), entry("hh", "00"));
        assertThat(PartitionSpecPattern.parse("DS=1").staticPartition(DS_HH)).containsKey("ds");
        assertThat(partial.isStatic()).isTrue();
        assertThat(partial.staticPartition(DS_HH)).containsOnlyKeys("ds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ds=2026*", "ds=1;ds=2", "max_pt()", "max_pt_with_done()"})
    void notStatic(String value) {
        PartitionSpecPattern pattern = PartitionSpecPattern.parse(value);

        assertThat(pattern.isStatic()).isFalse();
        assertThatThrownBy(() -> pattern.staticPartition(DS_HH))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void maxPtIsDynamic() {
        assertThat(PartitionSpecPattern.parse("max_pt()").isDynamicMaxPt()).isTrue();
        assertThat(PartitionSpecPattern.parse(" Max_Pt_With_Done() ").isDynamicMaxPt()).isTrue();
    }

    @Test
    void unknownKeysNameTheTablesKeys() {
        assertThatThrownBy(() -> select("dt=20260101", HOURLY))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'partition'")
                .hasMessageContaining("'dt'")
                .hasMessageContaining("[ds, hh]");
        assertThatThrownBy(() -> PartitionSpecPattern.parse("ds=1;x=2").validateKeys(DS_HH))
                .hasMessageContaining("'x'");
        assertThatThrownBy(
                        () ->
                                PartitionSpecPattern.parse("ds=1,hh=2")
                                        .staticPartition(List.of("ds")))
                .hasMessageContaining("'hh'")
                .hasMessageContaining("[ds]");
    }

    @Test
    void patternsOnUnpartitionedTablesAreRejected() {
        assertThatThrownBy(() -> PartitionSpecPattern.parse("ds=1").validateKeys(List.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("not partitioned");
        assertThatThrownBy(() -> PartitionSpecPattern.parse("max_pt()").validateKeys(List.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'partition'")
                .hasMessageContaining("partitioned table");
    }

    // ------------------------------------------------------------------------------------------
    // Syntax
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "  ",
                "ds",
                "ds=",
                "=1",
                "ds=''",
                "ds=1,",
                "ds=1;;ds=2",
                "ds=1;",
                "ds=1=2",
                "ds=1,ds=2",
                "ds=1,DS=2",
                "d s=1",
                "ds='1",
                "max_pt();ds=1",
                "ds=max_pt()",
                "max_pt"
            })
    void badSyntaxNamesTheOptionAndShowsTheAcceptedForms(String value) {
        assertThatThrownBy(() -> PartitionSpecPattern.parse(value))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("option 'partition'")
                .hasMessageContaining("key=value[,key=value...]")
                .hasMessageContaining("max_pt_with_done()");
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> PartitionSpecPattern.parse(null))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void toStringIsCanonical() {
        assertThat(PartitionSpecPattern.parse(" ds = '20260101' / hh=0* ; ds=2 ").toString())
                .isEqualTo("ds=20260101,hh=0*;ds=2");
        assertThat(PartitionSpecPattern.parse("MAX_PT()").toString()).isEqualTo("max_pt()");
        assertThat(PartitionSpecPattern.parse("max_pt_with_done()").toString())
                .isEqualTo("max_pt_with_done()");
    }

    @Test
    void equalityAndSerialization() throws Exception {
        PartitionSpecPattern pattern = PartitionSpecPattern.parse("ds=2026*,hh=00;ds=1");

        PartitionSpecPattern copy =
                InstantiationUtil.deserializeObject(
                        InstantiationUtil.serializeObject(pattern), getClass().getClassLoader());

        assertThat(copy).isEqualTo(pattern).hasSameHashCodeAs(pattern);
        assertThat(copy.select(HOURLY, DS_HH)).isEqualTo(pattern.select(HOURLY, DS_HH));
        assertThat(pattern).isNotEqualTo(PartitionSpecPattern.parse("ds=1"));
        assertThat(PartitionSpecPattern.parse("max_pt()"))
                .isEqualTo(PartitionSpecPattern.parse("max_pt()"))
                .isNotEqualTo(PartitionSpecPattern.parse("max_pt_with_done()"));
    }

    @Test
    void globMatching() {
        assertThat(PartitionSpecPattern.globMatches("*", "")).isTrue();
        assertThat(PartitionSpecPattern.globMatches("a*", "a")).isTrue();
        assertThat(PartitionSpecPattern.globMatches("a*c", "abbbc")).isTrue();
        assertThat(PartitionSpecPattern.globMatches("a*c", "abbbcd")).isFalse();
        assertThat(PartitionSpecPattern.globMatches("*b*b*", "abab")).isTrue();
        assertThat(PartitionSpecPattern.globMatches("a**b", "ab")).isTrue();
        assertThat(PartitionSpecPattern.globMatches("abc", "ab")).isFalse();
        assertThat(PartitionSpecPattern.globMatches("", "")).isTrue();
    }
}
