package org.flinkconnectors.lake.source;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.connector.source.Boundedness;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the builder checks on the client before a streaming job is submitted. */
class LakeSourceBuilderTest {

    @TempDir Path warehouse;

    private IcebergTableLoader loader;
    private long snapshot;

    @BeforeEach
    void createTable() throws Exception {
        IcebergTestTables tables = new IcebergTestTables(warehouse);
        Table table = tables.create("t");
        snapshot = IcebergTestTables.append(table, 0, 10);
        loader = IcebergTableLoader.hadoop(tables.warehouse(), "db", "t");
    }

    @Test
    void streamingMakesTheSourceUnbounded() {
        assertThat(LakeSource.builder().table(loader).build().getBoundedness())
                .isEqualTo(Boundedness.BOUNDED);
        assertThat(
                        LakeSource.builder()
                                .table(loader)
                                .streaming(LakeStartingPosition.version(snapshot))
                                .build()
                                .getBoundedness())
                .isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    }

    @Test
    void anUnknownStartingSnapshotFailsNamingIt() {
        assertThatThrownBy(
                        () ->
                                LakeSource.builder()
                                        .table(loader)
                                        .streaming(LakeStartingPosition.version(99))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db.t")
                .hasMessageContaining("snapshot id 99 does not exist");
    }

    @Test
    void aScanVersionDoesNotMixWithAStreamingStart() {
        LakeScanSpec timeTravel =
                LakeScanSpec.builder().version(LakeVersionSelector.version(snapshot)).build();

        assertThatThrownBy(
                        () ->
                                LakeSource.builder()
                                        .table(loader)
                                        .scan(timeTravel)
                                        .streaming(LakeStartingPosition.latest())
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts at its starting position")
                .hasMessageContaining("LakeStartingPosition.version(...)");
    }

    @Test
    void streamingSettingsWithoutStreamingOrWithAZeroIntervalFail() {
        assertThatThrownBy(
                        () ->
                                LakeSource.builder()
                                        .table(loader)
                                        .onRewrite(LakeRewritePolicy.SKIP)
                                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call streaming(...)");
        assertThatThrownBy(
                        () ->
                                LakeSource.builder()
                                        .table(loader)
                                        .streaming(LakeStartingPosition.latest())
                                        .monitorInterval(Duration.ZERO)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("monitor interval must be positive");
    }
}
