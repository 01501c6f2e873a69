package org.flinkconnectors.lake.testutils;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The Flink MiniCluster of the lake tests: one TaskManager with two slots. */
public final class LakeMiniCluster {

    private LakeMiniCluster() {}

    public static MiniClusterExtension extension() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }
}
