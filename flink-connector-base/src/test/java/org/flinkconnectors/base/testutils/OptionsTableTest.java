package org.flinkconnectors.base.testutils;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.Description;
import org.apache.flink.configuration.description.InlineElement;
import org.apache.flink.table.factories.Factory;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.apache.flink.configuration.description.LinkElement.link;
import static org.apache.flink.configuration.description.TextElement.code;
import static org.apache.flink.configuration.description.TextElement.text;
import static org.assertj.core.api.Assertions.assertThat;

class OptionsTableTest {

    private static final ConfigOption<String> ENDPOINT =
            ConfigOptions.key("endpoint").stringType().noDefaultValue().withDescription("Where.");

    private static final ConfigOption<Duration> INTERVAL =
            ConfigOptions.key("scan.interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDeprecatedKeys("scan.old-interval")
                    .withDescription("How often; 'a|b' is no cell border, <x> no tag.");

    private static final ConfigOption<MemorySize> BUFFER =
            ConfigOptions.key("sink.buffer")
                    .memoryType()
                    .defaultValue(MemorySize.parse("64mb"))
                    .withDescription(
                            Description.builder()
                                    .text("See %s or %s.", link("https://x.org", "x"), code("y"))
                                    .linebreak()
                                    .list(code("a"), code("b"))
                                    .build());

    private static final ConfigOption<List<String>> TOPICS =
            ConfigOptions.key("topic")
                    .stringType()
                    .asList()
                    .defaultValues("a", "b")
                    .withFallbackKeys("topics")
                    .withDescription("Topics.");

    private static final ConfigOption<Mode> MODE =
            ConfigOptions.key("mode").enumType(Mode.class).noDefaultValue().withDescription("How.");

    private enum Mode implements DescribedEnum {
        FAST("fast", "Quick."),
        SAFE("safe", "Careful.");

        private final String value;
        private final String description;

        Mode(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }

    @Test
    void rendersRequiredKeysFirstThenSortedRowsWithReadableDefaults() {
        String table =
                OptionsTable.of(factory(Set.of(ENDPOINT), Set.of(TOPICS, INTERVAL, BUFFER)))
                        .withNote(BUFFER, "Delta only")
                        .render();

        assertThat(table)
                .isEqualTo(
                        "| key | default | type | description |\n"
                                + "|---|---|---|---|\n"
                                + "| `endpoint` | required | String | Where. |\n"
                                + "| `scan.interval` | `10 min` | Duration | How often; 'a\\|b'"
                                + " is no cell border, &lt;x&gt; no tag. Deprecated alias:"
                                + " `scan.old-interval`. |\n"
                                + "| `sink.buffer` | `64 mb` | MemorySize | **Delta only.** See"
                                + " [x](https://x.org) or `y`.<br><br>• `a`<br>• `b` |\n"
                                + "| `topic` | `a;b` | `List<String>` | Topics. Alias: `topics`. |\n");
    }

    @Test
    void documentsEnumValuesAndConnectorDefaults() {
        String table =
                OptionsTable.of(factory(Set.of(), Set.of(MODE)))
                        .withConnectorDefault(MODE, Mode.SAFE)
                        .render();

        assertThat(table)
                .endsWith(
                        "| `mode` | `safe` | Enum: `fast`, `safe` | How.<br>• `fast`: Quick.<br>•"
                                + " `safe`: Careful. |\n");
    }

    private static Factory factory(Set<ConfigOption<?>> required, Set<ConfigOption<?>> optional) {
        return new Factory() {
            @Override
            public String factoryIdentifier() {
                return "test";
            }

            @Override
            public Set<ConfigOption<?>> requiredOptions() {
                return required;
            }

            @Override
            public Set<ConfigOption<?>> optionalOptions() {
                return optional;
            }
        };
    }
}
