package org.flinkconnectors.streams.sink.internal;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The transactional id scheme matches only the ids of its own prefix. */
class TransactionalIdsTest {

    @Test
    void parsesItsOwnIds() {
        assertThat(TransactionalIds.parse("orders", TransactionalIds.of("orders", 4, 3, 17)))
                .hasValueSatisfying(
                        p -> {
                            assertThat(p.parallelism()).isEqualTo(4);
                            assertThat(p.subtaskId()).isEqualTo(3);
                            assertThat(p.index()).isEqualTo(17);
                            assertThat(p.isOwnedBy(4, 3)).isTrue();
                            assertThat(p.isOwnedBy(4, 1)).isFalse();
                        });
    }

    @Test
    void rejectsIdsOfPrefixesThatStartWithItsOwn() {
        assertThat(TransactionalIds.parse("orders", "orders-eu-1-0-0")).isEmpty();
        // Prefix "orders-2" writes "orders-2-1-0-3", which starts with "orders-2-1-".
        assertThat(TransactionalIds.parse("orders", TransactionalIds.of("orders-2", 1, 0, 3)))
                .isEmpty();
        assertThat(TransactionalIds.parse("orders-2", TransactionalIds.of("orders-2", 1, 0, 3)))
                .isPresent();
    }

    @Test
    void rejectsAnythingElseThanTheExactSuffix() {
        assertThat(TransactionalIds.parse("orders", "orders-1-0")).isEmpty();
        assertThat(TransactionalIds.parse("orders", "orders-1-0-0-x")).isEmpty();
        assertThat(TransactionalIds.parse("orders", "orders-01-0-0")).isEmpty();
        assertThat(TransactionalIds.parse("orders", "xorders-1-0-0")).isEmpty();
        assertThat(TransactionalIds.parse("orders", "orders-1-0-99999999999")).isEmpty();
        assertThat(TransactionalIds.parse("a.b", "axb-1-0-0")).isEmpty();
    }

    @Test
    void theListingPatternIsAsExactAsTheParser() {
        Pattern pattern = Pattern.compile(TransactionalIds.pattern("orders"));
        assertThat(pattern.matcher("orders-1-0-0").matches()).isTrue();
        assertThat(pattern.matcher("orders-eu-1-0-0").matches()).isFalse();
        assertThat(pattern.matcher("orders-2-1-0-3").matches()).isFalse();
    }
}
