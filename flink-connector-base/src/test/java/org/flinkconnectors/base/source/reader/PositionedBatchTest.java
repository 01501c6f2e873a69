package org.flinkconnectors.base.source.reader;

import org.flinkconnectors.base.source.split.PositionedSplit;
import org.flinkconnectors.base.source.split.SplitPosition;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.SourceOutput;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batches, the emitter's position tracking and the shared limit. */
class PositionedBatchTest {

    @Test
    void consecutiveElementsAdvanceThePositionOneEach() {
        PositionedBatch<String> batch =
                PositionedBatch.consecutive(
                        "s", new Object[] {"a", "b", "c", null}, 3, 10, Set.of());
        AtomicLong bytes = new AtomicLong();
        SplitPosition<Piece> state = new SplitPosition<>(new Piece(10));
        List<String> out = emitAll(batch, state, new PositionedRecordEmitter<>(bytes::addAndGet));

        assertThat(out).containsExactly("a", "b", "c");
        assertThat(state.position()).isEqualTo(13);
        assertThat(state.toSplit().position()).isEqualTo(13);
        assertThat(bytes).hasValue(0);
    }

    @Test
    void givenPositionsAndBytesAreEmittedOnce() {
        PositionedBatch<String> batch =
                PositionedBatch.of(
                        "s", new Object[] {"x", "y"}, new long[] {5, 9}, 2, 640, Set.of());
        AtomicLong bytes = new AtomicLong();
        SplitPosition<Piece> state = new SplitPosition<>(new Piece(3));
        List<Long> positions = new ArrayList<>();
        PositionedRecordEmitter<String, Piece> emitter =
                new PositionedRecordEmitter<>(bytes::addAndGet);
        assertThat(batch.nextSplit()).isEqualTo("s");
        for (PositionedRecord<String> r; (r = batch.nextRecordFromSplit()) != null; ) {
            emitter.emitRecord(r, new ListOutput(new ArrayList<>()), state);
            positions.add(state.position());
        }

        assertThat(positions).containsExactly(5L, 9L);
        assertThat(bytes).hasValue(640);
    }

    @Test
    void aBatchWithoutElementsOnlyEndsSplits() {
        PositionedBatch<String> batch = PositionedBatch.finishedOnly(Set.of("a", "b"));
        assertThat(batch.nextSplit()).isNull();
        assertThat(batch.finishedSplits()).containsExactlyInAnyOrder("a", "b");
        assertThat(PositionedBatch.consecutive("s", new Object[4], 0, 0, Set.of()).nextSplit())
                .isNull();
    }

    @Test
    void aLimitIsSharedAndNoneMeansUnlimited() {
        ReadLimit limit = ReadLimit.of(5);
        limit.produced(3);
        assertThat(limit.remaining()).isEqualTo(2);
        limit.produced(2);
        assertThat(limit.reached()).isTrue();
        assertThat(ReadLimit.none().remaining()).isEqualTo(Long.MAX_VALUE);
        assertThat(ReadLimit.of(0).reached()).isTrue();
        assertThatThrownBy(() -> ReadLimit.of(-1)).hasMessageContaining("-1");
    }

    private static List<String> emitAll(
            PositionedBatch<String> batch,
            SplitPosition<Piece> state,
            PositionedRecordEmitter<String, Piece> emitter) {
        List<String> out = new ArrayList<>();
        ListOutput output = new ListOutput(out);
        batch.nextSplit();
        for (PositionedRecord<String> r; (r = batch.nextRecordFromSplit()) != null; ) {
            emitter.emitRecord(r, output, state);
        }
        return out;
    }

    /** A split whose position is all it has. */
    private record Piece(long position) implements PositionedSplit<Piece> {
        @Override
        public String splitId() {
            return "piece";
        }

        @Override
        public Piece atPosition(long position) {
            return new Piece(position);
        }
    }

    private record ListOutput(List<String> out) implements SourceOutput<String> {
        @Override
        public void collect(String record) {
            out.add(record);
        }

        @Override
        public void collect(String record, long timestamp) {
            out.add(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }
}
