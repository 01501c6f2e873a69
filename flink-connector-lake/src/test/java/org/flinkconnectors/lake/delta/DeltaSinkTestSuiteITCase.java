package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.testutils.DeltaWarehouse;

import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SinkTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's standard sink test suite (basic, savepoint, scale up and down, metrics) for the lake sink
 * on Delta tables in exactly-once mode, the only mode the sink has.
 */
class DeltaSinkTestSuiteITCase extends SinkTestSuiteBase<String> {

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestExternalSystem DeltaWarehouse warehouse = new DeltaWarehouse();

    @TestSemantics
    CheckpointingMode[] semantics = new CheckpointingMode[] {CheckpointingMode.EXACTLY_ONCE};

    @TestContext
    ExternalContextFactory<DeltaSinkExternalContext> context =
            testName -> new DeltaSinkExternalContext(warehouse.tables());
}
