package org.flinkconnectors.streams.sink.internal;

import org.apache.flink.api.common.JobID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A handoff is shared by one writer and one committer and ends when both have closed. */
class TransactionHandoffsTest {

    @Test
    void writerAndCommitterShareOneHandoffThatEndsWithBoth() {
        int before = TransactionHandoffs.openCount();
        TransactionHandoffs.Key key = new TransactionHandoffs.Key(new JobID(), 0, 0, "orders");
        TransactionHandoffs.Lease writer =
                TransactionHandoffs.open(key, TransactionHandoffs.Side.WRITER);
        TransactionHandoffs.Lease committer =
                TransactionHandoffs.open(key, TransactionHandoffs.Side.COMMITTER);

        assertThat(committer.handoff()).isSameAs(writer.handoff());
        assertThat(TransactionHandoffs.openCount()).isEqualTo(before + 1);
        writer.close();
        assertThat(TransactionHandoffs.openCount()).isEqualTo(before + 1);
        committer.close();
        committer.close();
        assertThat(TransactionHandoffs.openCount()).isEqualTo(before);
    }

    @Test
    void anotherAttemptGetsAFreshHandoff() {
        JobID job = new JobID();
        try (TransactionHandoffs.Lease first =
                        TransactionHandoffs.open(
                                new TransactionHandoffs.Key(job, 0, 0, "orders"),
                                TransactionHandoffs.Side.WRITER);
                TransactionHandoffs.Lease second =
                        TransactionHandoffs.open(
                                new TransactionHandoffs.Key(job, 0, 1, "orders"),
                                TransactionHandoffs.Side.WRITER)) {
            assertThat(second.handoff()).isNotSameAs(first.handoff());
        }
    }

    /** A side of a failed attempt that never closed does not keep its handoff past the attempt. */
    @Test
    void aLaterAttemptDropsTheHandoffsOfEarlierOnes() {
        JobID job = new JobID();
        int before = TransactionHandoffs.openCount();
        TransactionHandoffs.Lease neverClosed =
                TransactionHandoffs.open(
                        new TransactionHandoffs.Key(job, 0, 0, "orders"),
                        TransactionHandoffs.Side.WRITER);
        TransactionHandoffs.Lease otherSubtask =
                TransactionHandoffs.open(
                        new TransactionHandoffs.Key(job, 1, 0, "orders"),
                        TransactionHandoffs.Side.WRITER);

        TransactionHandoffs.Lease next =
                TransactionHandoffs.open(
                        new TransactionHandoffs.Key(job, 0, 1, "orders"),
                        TransactionHandoffs.Side.WRITER);

        assertThat(TransactionHandoffs.openCount()).isEqualTo(before + 2);
        neverClosed.close(); // late: must not touch the new attempt's handoff
        assertThat(TransactionHandoffs.openCount()).isEqualTo(before + 2);
        next.close();
        otherSubtask.close();
        assertThat(TransactionHandoffs.openCount()).isEqualTo(before);
    }

    @Test
    void twoSinksWithOnePrefixFailClearly() {
        TransactionHandoffs.Key key = new TransactionHandoffs.Key(new JobID(), 0, 0, "orders");
        try (TransactionHandoffs.Lease writer =
                TransactionHandoffs.open(key, TransactionHandoffs.Side.WRITER)) {
            assertThatThrownBy(() -> TransactionHandoffs.open(key, TransactionHandoffs.Side.WRITER))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'orders'");
        }
    }

    @Test
    void anUnsharedHandoffIsNotRegistered() {
        int before = TransactionHandoffs.openCount();
        TransactionHandoffs.Lease a = TransactionHandoffs.unshared();
        TransactionHandoffs.Lease b = TransactionHandoffs.unshared();
        assertThat(a.handoff()).isNotSameAs(b.handoff());
        assertThat(TransactionHandoffs.openCount()).isEqualTo(before);
        a.close();
        b.close();
    }
}
