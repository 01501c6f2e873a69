package org.flinkconnectors.streams.table;

import org.flinkconnectors.base.testutils.OptionsTable;
import org.flinkconnectors.base.testutils.ReadmeBlocks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The option table of README.md is the one the factories declare; {@code -Ddocs.update=true}
 * rewrites it. One table serves both connectors, which take the same options.
 */
class StreamsOptionsDocumentationTest {

    @Test
    void optionsAreDocumented() throws Exception {
        String streams = OptionsTable.of(new StreamsDynamicTableFactory()).render();

        assertThat(OptionsTable.of(new UpsertStreamsDynamicTableFactory()).render())
                .as("upsert-streams shares the streams table of README.md")
                .isEqualTo(streams);
        ReadmeBlocks.assertBlock("options:streams", streams);
    }
}
