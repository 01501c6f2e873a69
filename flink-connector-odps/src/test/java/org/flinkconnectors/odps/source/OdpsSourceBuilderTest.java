package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.client.OdpsConnectionConfig;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OdpsSourceBuilderTest {

    private static final OdpsConnectionConfig CONNECTION =
            OdpsConnectionConfig.builder()
                    .endpoint("http://service.example.com/api")
                    .project("p")
                    .accessId("id")
                    .accessKey("very-secret-key")
                    .build();

    @Test
    void defaultsToBoundedReadOfAllPartitionsAndColumns() {
        OdpsSource<String> source = valid().build();

        OdpsSourceSettings settings = source.getSettings();
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(source.getProducedType()).isEqualTo(Types.STRING);
        assertThat(settings.columns()).isEmpty();
        assertThat(settings.partitionSelector()).isSameAs(PartitionSelector.all());
        assertThat(settings.splitRows()).isEqualTo(OdpsSourceBuilder.DEFAULT_SPLIT_ROWS);
        assertThat(settings.limit()).isEqualTo(OdpsSourceSettings.NO_LIMIT);
        assertThat(settings.arrowDownloads()).isFalse();
        assertThat(PartitionSelector.all().select(List.of("ds=1", "ds=2")))
                .containsExactly("ds=1", "ds=2");
    }

    @Test
    @SuppressWarnings("deprecation")
    void formerSplitSizeSetterSetsTheRowsPerSplit() {
        assertThat(valid().setSplitSize(500).build().getSettings().splitRows()).isEqualTo(500);
    }

    @Test
    void discoveryIntervalMakesItUnbounded() {
        OdpsSource<String> source =
                valid().setDiscoveryInterval(Duration.ofSeconds(30)).setLimit(10).build();

        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.getSettings().discoveryInterval()).contains(Duration.ofSeconds(30));
        assertThat(source.getSettings().limit()).isEqualTo(10);
    }

    @Test
    void isSerializableAndHidesTheAccessKey() throws Exception {
        OdpsSource<String> source =
                valid().setColumns(List.of("id"))
                        .setPartitionSelector(specs -> specs.subList(0, 1))
                        .build();

        OdpsSource<String> copy = InstantiationUtil.clone(source, getClass().getClassLoader());

        assertThat(copy.getSettings().columns()).contains(List.of("id"));
        assertThat(copy.getSettings().partitionSelector().select(List.of("a", "b")))
                .containsExactly("a");
        assertThat(source.toString()).contains("table=orders").doesNotContain("very-secret-key");
    }

    @Test
    void rejectsMissingAndInvalidSettingsNamingThem() {
        assertInvalid(OdpsSource.<String>builder(), "setConnection");
        assertInvalid(valid().setTable(" "), "setTable");
        assertInvalid(valid().setDeserializer(null), "setDeserializer");
        assertInvalid(valid().setPartitionSelector(null), "setPartitionSelector");
        assertInvalid(valid().setSplitRows(0), "setSplitRows");
        assertInvalid(valid().setLimit(-5), "setLimit");
        assertInvalid(valid().setDiscoveryInterval(Duration.ZERO), "setDiscoveryInterval");
        assertInvalid(valid().setColumns(Arrays.asList("id", null)), "null or blank");
        assertInvalid(valid().setColumns(List.of("id", "ID")), "names column 'ID' twice");
        assertInvalid(valid().setArrowDownloads(true), "needs a deserializer that implements");
    }

    private static OdpsSourceBuilder<String> valid() {
        return OdpsSource.<String>builder()
                .setConnection(CONNECTION)
                .setTable("orders")
                .setDeserializer(new OdpsSourceTestData.SpecAndId());
    }

    private static void assertInvalid(OdpsSourceBuilder<String> builder, String message) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
