package org.flinkconnectors.lake.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeIncrementTest {

    @Test
    void changesPutDeleteSplitsBeforeInsertSplits() {
        LakeSplit insertA = change("a", LakeSplit.ChangePhase.INSERT);
        LakeSplit delete = change("b", LakeSplit.ChangePhase.DELETE);
        LakeSplit insertC = change("c", LakeSplit.ChangePhase.INSERT);

        LakeIncrement increment =
                LakeIncrement.changes(5, "overwrite", List.of(insertA, delete, insertC));

        assertThat(increment.kind()).isEqualTo(LakeIncrement.Kind.CHANGES);
        assertThat(increment.splits()).containsExactly(delete, insertA, insertC);
    }

    @Test
    void changesNeedPhasedSplitsInOrder() {
        LakeSplit plain = new LakeSplit("p", 5, "/p", new byte[0], 0);
        LakeSplit insert = change("i", LakeSplit.ChangePhase.INSERT);
        LakeSplit delete = change("d", LakeSplit.ChangePhase.DELETE);

        assertThatThrownBy(() -> LakeIncrement.changes(5, "append", List.of(plain)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no change phase");
        assertThatThrownBy(
                        () ->
                                new LakeIncrement(
                                        5,
                                        LakeIncrement.Kind.CHANGES,
                                        "delete",
                                        List.of(insert, delete),
                                        ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deletes must come first");
        assertThatThrownBy(() -> LakeIncrement.append(5, "append", List.of(insert)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LakeSplit change(String id, LakeSplit.ChangePhase phase) {
        return LakeSplit.change(id, 5, "/" + id, new byte[0], phase, "");
    }
}
