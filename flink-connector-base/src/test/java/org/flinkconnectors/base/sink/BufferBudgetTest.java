package org.flinkconnectors.base.sink;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link BufferBudget}. */
class BufferBudgetTest {

    @Test
    void flushesTheLargestBuffersUntilWithinBudget() throws Exception {
        BufferBudget<String> budget = new BufferBudget<>(100);
        Map<String, Long> buffers = new HashMap<>();
        List<String> flushed = new ArrayList<>();
        BufferBudget.Flush<String> flush =
                partition -> {
                    flushed.add(partition);
                    buffers.put(partition, 0L);
                    return 0;
                };
        for (String[] write :
                new String[][] {{"a", "30"}, {"b", "50"}, {"c", "10"}, {"a", "45"}, {"c", "5"}}) {
            long size = buffers.merge(write[0], Long.parseLong(write[1]), Long::sum);
            budget.resized(write[0], size);
            budget.enforce(flush);
        }

        // After a=75 (sum 135) only a, the largest, is flushed; c=15 keeps the sum at 65.
        assertThat(flushed).containsExactly("a");
        assertThat(budget.buffered()).isEqualTo(65);
        assertThat(budget.peak()).isEqualTo(90);
        assertThat(budget.largest()).isEqualTo("b");
    }

    @Test
    void removedAndEmptyBuffersFreeTheirBytes() {
        BufferBudget<String> budget = new BufferBudget<>(10);
        budget.resized("a", 8);
        budget.resized("b", 7);
        assertThat(budget.exceeded()).isTrue();
        budget.removed("a");
        budget.resized("b", 0);
        assertThat(budget.buffered()).isZero();
        assertThat(budget.largest()).isNull();
    }

    @Test
    void aFlushThatFreesNothingFails() {
        BufferBudget<String> budget = new BufferBudget<>(10);
        budget.resized("a", 20);
        assertThatThrownBy(() -> budget.enforce(partition -> 20))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not free memory");
    }

    @Test
    void theBudgetMustBePositive() {
        assertThatThrownBy(() -> new BufferBudget<>(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }
}
