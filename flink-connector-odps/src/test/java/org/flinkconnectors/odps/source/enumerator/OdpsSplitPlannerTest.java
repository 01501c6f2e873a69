package org.flinkconnectors.odps.source.enumerator;

import org.flinkconnectors.odps.source.split.OdpsSplit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OdpsSplitPlannerTest {

    @Test
    void cutsRangeIntoSplitsWithShortLastOne() {
        List<OdpsSplit> splits = OdpsSplitPlanner.plan("ds=1", "s", 0, 10_003, 1_000);

        assertThat(splits).hasSize(11);
        assertThat(splits.get(0)).isEqualTo(new OdpsSplit("ds=1", "s", 0, 1_000));
        assertThat(splits.get(10)).isEqualTo(new OdpsSplit("ds=1", "s", 10_000, 3));
        assertThat(splits.stream().mapToLong(OdpsSplit::getRowCount).sum()).isEqualTo(10_003);
    }

    @Test
    void plansOnlyTheGrownTailOfAKnownPartition() {
        assertThat(OdpsSplitPlanner.plan("ds=1", "fresh", 2_500, 4_100, 1_000))
                .containsExactly(
                        new OdpsSplit("ds=1", "fresh", 2_500, 1_000),
                        new OdpsSplit("ds=1", "fresh", 3_500, 600));
    }

    @Test
    void emptyRangeHasNoSplits() {
        assertThat(OdpsSplitPlanner.plan("", "s", 5, 5, 1_000)).isEmpty();
        assertThat(OdpsSplitPlanner.plan("", "s", 0, 0, 1_000)).isEmpty();
    }
}
