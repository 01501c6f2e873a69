package org.flinkconnectors.lake.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LakeScanSpecTest {

    @Test
    void changelogIsOffByDefaultAndPartOfEquality() {
        LakeScanSpec plain = LakeScanSpec.latest();
        LakeScanSpec changelog = LakeScanSpec.builder().changelog(true).build();

        assertThat(plain.changelog()).isFalse();
        assertThat(changelog.changelog()).isTrue();
        assertThat(changelog).isNotEqualTo(plain);
        assertThat(changelog).isEqualTo(LakeScanSpec.builder().changelog(true).build());
        assertThat(changelog.hashCode())
                .isEqualTo(LakeScanSpec.builder().changelog(true).build().hashCode());
        assertThat(changelog.toString()).contains("changelog");
        assertThat(plain.toString()).doesNotContain("changelog");
    }
}
