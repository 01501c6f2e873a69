package org.flinkconnectors.base.options;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionAliasesTest {

    private static final ConfigOption<String> TABLE =
            ConfigOptions.key("table")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("tableName");

    @Test
    void anAliasIsRenamedToItsOptionsKey() {
        assertThat(OptionAliases.resolve(Map.of("tableName", "orders", "x", "1"), List.of(TABLE)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("table", "orders", "x", "1"));
    }

    @Test
    void anAliasNextToItsKeyWithTheSameValueIsDropped() {
        assertThat(
                        OptionAliases.resolve(
                                Map.of("tableName", "orders", "table", "orders"), List.of(TABLE)))
                .containsExactlyEntriesOf(Map.of("table", "orders"));
    }

    @Test
    void anAliasNextToItsKeyWithAnotherValueFailsNamingBoth() {
        assertThatThrownBy(
                        () ->
                                OptionAliases.resolve(
                                        Map.of("tableName", "a", "table", "b"), List.of(TABLE)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'table' = 'b'")
                .hasMessageContaining("'tableName' = 'a'");
    }
}
