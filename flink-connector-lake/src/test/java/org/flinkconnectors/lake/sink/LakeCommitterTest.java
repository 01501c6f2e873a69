package org.flinkconnectors.lake.sink;

import org.flinkconnectors.base.sink.CommitMetrics;
import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeWriteResult;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The committer on a real Iceberg table: requests are committed in checkpoint order, a committable
 * handed back after a restart is recognised as committed, and a failed commit fails loudly.
 */
class LakeCommitterTest {

    @TempDir Path warehouse;

    private IcebergTestTables tables;
    private Table table;
    private LakeTableLoader loader;

    @BeforeEach
    void createTable() {
        tables = new IcebergTestTables(warehouse);
        table = tables.create("orders");
        loader =
                IcebergTableLoader.hadoop(tables.warehouse(), IcebergTestTables.DATABASE, "orders");
    }

    @Test
    void commitsInCheckpointOrderAndSkipsWhatARestartedCommitterIsHandedAgain() throws Exception {
        LakeCommittable second = committable(2, 100, 200);
        LakeCommittable first = committable(1, 0, 100);
        Request secondRequest = new Request(second);
        MetricListener metrics = new MetricListener();
        try (LakeCommitter committer =
                new LakeCommitter(loader, null, new CommitMetrics(metrics.getMetricGroup()))) {
            committer.commit(List.of(secondRequest, new Request(first)));
        }
        assertThat(count(metrics, CommitMetrics.COMMITS)).isEqualTo(2);
        assertThat(count(metrics, CommitMetrics.RECORDS_COMMITTED)).isEqualTo(200);
        assertThat(count(metrics, CommitMetrics.BYTES_COMMITTED)).isPositive();
        assertThat(IcebergRows.snapshots(table))
                .extracting(s -> s.summary().get("flink-connector-suite.checkpoint-id"))
                .containsExactly("1", "2");
        assertThat(secondRequest.alreadyCommitted).isFalse();

        Request again = new Request(second);
        MetricListener restartedMetrics = new MetricListener();
        try (LakeCommitter restarted =
                new LakeCommitter(
                        loader, null, new CommitMetrics(restartedMetrics.getMetricGroup()))) {
            restarted.commit(List.of(again));
        }

        assertThat(again.alreadyCommitted).isTrue();
        assertThat(count(restartedMetrics, CommitMetrics.COMMITS))
                .as("a version found already made is not counted again")
                .isZero();
        assertThat(IcebergRows.snapshots(table)).hasSize(2);
        assertThat(IcebergRows.idsAndNames(table))
                .containsExactlyInAnyOrderElementsOf(IcebergTestTables.expected(0, 200));
    }

    /** An overwrite handed again after a restart does not replace a second time. */
    @Test
    void anOverwriteHandedAgainIsSkippedAndReplacesOnce() throws Exception {
        IcebergTestTables.append(table, 0, 50);
        LakeCommittable overwrite = committable(Long.MAX_VALUE, 100, 110);
        try (LakeCommitter committer = new LakeCommitter(loader, LakeOverwrite.dynamic())) {
            committer.commit(List.of(new Request(overwrite)));
        }
        IcebergTestTables.append(table, 200, 205);

        Request again = new Request(overwrite);
        try (LakeCommitter restarted = new LakeCommitter(loader, LakeOverwrite.dynamic())) {
            restarted.commit(List.of(again));
        }

        assertThat(again.alreadyCommitted).isTrue();
        assertThat(IcebergRows.snapshots(table))
                .extracting(s -> s.operation())
                .containsExactly("append", "overwrite", "append");
        List<String> expected = new java.util.ArrayList<>(IcebergTestTables.expected(100, 110));
        expected.addAll(IcebergTestTables.expected(200, 205));
        assertThat(IcebergRows.idsAndNames(table)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aCommitThatFailsFailsTheRequestNamingTheCheckpointAndTable() throws Exception {
        LakeCommittable committable = committable(7, 0, 10);
        tables.drop("orders");

        try (LakeCommitter committer = new LakeCommitter(loader)) {
            assertThatThrownBy(() -> committer.commit(List.of(new Request(committable))))
                    .hasStackTraceContaining("Could not commit checkpoint 7 to Iceberg table")
                    .hasRootCauseInstanceOf(
                            org.apache.iceberg.exceptions.NoSuchTableException.class)
                    .rootCause()
                    .hasMessageContaining("orders");
        }
    }

    private static long count(MetricListener metrics, String counter) {
        return metrics.getCounter(counter).orElseThrow().getCount();
    }

    private LakeCommittable committable(long checkpoint, long fromId, long toId)
            throws IOException {
        try (LakeTable lake = loader.load();
                LakeDataWriter writer =
                        lake.createWriterFactory(
                                        lake.producedType(
                                                OptionalLong.empty(), LakeScanSpec.latest()),
                                        LakeWriteSpec.tableDefaults())
                                .create(0, 1, 0)) {
            for (long id = fromId; id < toId; id++) {
                writer.write(GenericRowData.of(id, StringData.fromString("name-" + id)));
            }
            LakeWriteResult files = writer.complete().orElseThrow();
            return new LakeCommittable(
                    new LakeCommitId("job-1", "job-1", "aggregator", checkpoint), List.of(files));
        }
    }

    /** A commit request as Flink's committer operator hands it over, recording the outcome. */
    private static final class Request implements CommitRequest<LakeCommittable> {
        private final LakeCommittable committable;
        boolean alreadyCommitted;

        Request(LakeCommittable committable) {
            this.committable = committable;
        }

        @Override
        public LakeCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            throw new IllegalStateException("failed", t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            throw new IllegalStateException("failed", t);
        }

        @Override
        public void retryLater() {
            throw new AssertionError("the committer never defers a commit");
        }

        @Override
        public void updateAndRetryLater(LakeCommittable committable) {
            throw new AssertionError("the committer never defers a commit");
        }

        @Override
        public void signalAlreadyCommitted() {
            alreadyCommitted = true;
        }
    }
}
