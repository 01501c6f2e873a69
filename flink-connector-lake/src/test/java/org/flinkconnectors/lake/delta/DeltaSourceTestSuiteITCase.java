package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.testutils.DeltaWarehouse;

import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SourceTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's standard source test suite for the lake source on Delta tables: bounded reads (single
 * split, multiple splits, idle reader) and streaming ones that tail versions committed while the
 * job runs (savepoint, scaling up and down, metrics, TaskManager failure), in both checkpointing
 * modes.
 */
class DeltaSourceTestSuiteITCase extends SourceTestSuiteBase<String> {

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestExternalSystem DeltaWarehouse warehouse = new DeltaWarehouse();

    @TestSemantics
    CheckpointingMode[] semantics =
            new CheckpointingMode[] {
                CheckpointingMode.EXACTLY_ONCE, CheckpointingMode.AT_LEAST_ONCE
            };

    @TestContext
    ExternalContextFactory<DeltaSourceExternalContext> context =
            testName -> new DeltaSourceExternalContext(warehouse.tables());
}
