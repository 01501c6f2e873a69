package org.flinkconnectors.base.source.enumerator;

import org.apache.flink.api.connector.source.mocks.MockSourceSplit;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pull-based assignment as Flink's enumerator context sees it. */
class PullSplitAssignerTest {

    private TestingSplitEnumeratorContext<MockSourceSplit> context;

    @BeforeEach
    void setUp() {
        context = new TestingSplitEnumeratorContext<>(3);
        context.registerReader(0, "localhost");
        context.registerReader(1, "localhost");
    }

    @Test
    void readersGetOneSplitPerRequestInPlanningOrder() {
        PullSplitAssigner<MockSourceSplit> assigner =
                new PullSplitAssigner<>(context, List.of(split(0), split(1)));
        assigner.add(List.of(split(2)));

        assigner.requested(1);
        assigner.requested(0);
        assertThat(assigner.assign(false)).isEqualTo(2);

        assertThat(assigned(1)).containsExactly("0");
        assertThat(assigned(0)).containsExactly("1");
        assertThat(assigner.unassigned()).extracting(MockSourceSplit::splitId).containsExactly("2");
        assertThat(assigner.unassignedCount()).isEqualTo(1);
    }

    @Test
    void aReaderWithNothingLeftWaitsOrIsToldNoneWillCome() {
        PullSplitAssigner<MockSourceSplit> assigner = new PullSplitAssigner<>(context, List.of());
        assigner.requested(0);

        assertThat(assigner.assign(false)).isZero();
        assertThat(context.getSplitAssignments().get(0)).isNull();

        assigner.add(List.of(split(7)));
        assigner.assign(false);
        assertThat(assigned(0)).containsExactly("7");

        assigner.requested(0);
        assigner.assign(true);
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
    }

    @Test
    void splitsGivenBackComeFirstInTheirOrderAndFailedReadersAreDropped() {
        PullSplitAssigner<MockSourceSplit> assigner =
                new PullSplitAssigner<>(context, List.of(split(5)));
        assigner.addBack(List.of(split(1), split(2)));
        assertThat(assigner.unassigned())
                .extracting(MockSourceSplit::splitId)
                .containsExactly("1", "2", "5");

        assigner.requested(2); // never registered: it failed after asking
        assertThat(assigner.assign(true)).isZero();
        assertThat(context.getSplitAssignments()).doesNotContainKey(2);

        assertThat(assigner.remove(split -> split.splitId().equals("2"))).isEqualTo(1);
        assertThat(assigner.unassigned())
                .extracting(MockSourceSplit::splitId)
                .containsExactly("1", "5");
    }

    @Test
    void routingKeepsASplitForTheReaderItBelongsTo() {
        PullSplitAssigner<MockSourceSplit> assigner =
                new PullSplitAssigner<>(
                        context,
                        List.of(split(1), split(2), split(3)),
                        (split, reader) -> Integer.parseInt(split.splitId()) % 2 == reader);

        assigner.requested(0);
        assigner.assign(false);
        assertThat(assigned(0)).containsExactly("2");

        assigner.requested(1);
        assigner.assign(false);
        assertThat(assigned(1)).containsExactly("1");
        assertThat(assigner.unassigned()).extracting(MockSourceSplit::splitId).containsExactly("3");
    }

    private List<String> assigned(int reader) {
        return context.getSplitAssignments().get(reader).getAssignedSplits().stream()
                .map(MockSourceSplit::splitId)
                .toList();
    }

    private static MockSourceSplit split(int id) {
        return new MockSourceSplit(id);
    }
}
