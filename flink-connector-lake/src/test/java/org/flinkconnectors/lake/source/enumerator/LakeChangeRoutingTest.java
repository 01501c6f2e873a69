package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeSplit.ChangePhase;
import org.flinkconnectors.lake.iceberg.IcebergTableLoader;
import org.flinkconnectors.lake.source.LakeChangeRouting;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeStartingPosition;
import org.flinkconnectors.lake.source.LakeStreamingSpec;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order a changelog read depends on: the enumerator hands a routing key's change splits to one
 * reader, one at a time, in planning order (a version's deletes before its inserts, versions in
 * commit order), also after splits come back from a failed reader.
 */
class LakeChangeRoutingTest {

    private static final int READERS = 3;

    @TempDir Path warehouse;

    private TestingSplitEnumeratorContext<LakeSplit> context;
    private long version;
    private IcebergTestTables tables;

    @BeforeEach
    void setUp() throws Exception {
        tables = new IcebergTestTables(warehouse);
        Table table = tables.create("t");
        version = IcebergTestTables.append(table, 0, 1);
        context = new TestingSplitEnumeratorContext<>(READERS);
        for (int reader = 0; reader < READERS; reader++) {
            context.registerReader(reader, "localhost");
        }
    }

    @Test
    void eachPartitionsChangesGoToOneReaderInPlanningOrder() throws Exception {
        List<LakeSplit> planned = new ArrayList<>();
        for (int v = 1; v <= 3; v++) {
            for (String partition : List.of("region=eu", "region=us", "region=apac")) {
                planned.add(change(v, ChangePhase.DELETE, partition));
                planned.add(change(v, ChangePhase.INSERT, partition));
            }
        }
        LakeContinuousEnumerator enumerator = start(LakeChangeRouting.BY_PARTITION, planned);

        List<List<LakeSplit>> read = readAll(enumerator);

        for (int reader = 0; reader < READERS; reader++) {
            int owner = reader;
            List<LakeSplit> expected =
                    planned.stream()
                            .filter(s -> Math.floorMod(route(s).hashCode(), READERS) == owner)
                            .toList();
            assertThat(read.get(reader)).as("reader %d", reader).isEqualTo(expected);
        }
        assertThat(read.stream().mapToInt(List::size).sum()).isEqualTo(planned.size());
    }

    @Test
    void oneReaderReadsEveryChangeWhenRoutingByPartitionIsUnsafe() throws Exception {
        List<LakeSplit> planned =
                List.of(
                        change(1, ChangePhase.DELETE, "region=eu"),
                        change(1, ChangePhase.INSERT, "region=us"),
                        change(2, ChangePhase.DELETE, "region=us"),
                        change(2, ChangePhase.INSERT, "region=eu"));
        LakeContinuousEnumerator enumerator = start(LakeChangeRouting.ONE_READER, planned);

        List<List<LakeSplit>> read = readAll(enumerator);

        assertThat(read.get(0)).isEqualTo(planned);
        assertThat(read.get(1)).isEmpty();
        assertThat(read.get(2)).isEmpty();
    }

    @Test
    void splitsGivenBackGoToTheSameReaderBeforeLaterOnes() throws Exception {
        List<LakeSplit> planned =
                List.of(
                        change(1, ChangePhase.DELETE, "p"),
                        change(1, ChangePhase.INSERT, "p"),
                        change(2, ChangePhase.DELETE, "p"));
        LakeContinuousEnumerator enumerator = start(LakeChangeRouting.BY_PARTITION, planned);
        int owner = Math.floorMod("p".hashCode(), READERS);
        enumerator.handleSplitRequest(owner, "localhost");
        LakeSplit first = assigned(owner).get(0);

        // The reader fails: its split comes back, and it asks again once restarted.
        enumerator.addSplitsBack(List.of(first), owner);
        List<List<LakeSplit>> read = readAll(enumerator);

        // Assigned: the split before the failure, then again, then the later ones.
        assertThat(read.get(owner)).containsExactly(first, first, planned.get(1), planned.get(2));
    }

    /** Readers ask in turn, one split at a time, until no reader gets another. */
    private List<List<LakeSplit>> readAll(LakeContinuousEnumerator enumerator) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int reader = 0; reader < READERS; reader++) {
                int before = assigned(reader).size();
                enumerator.handleSplitRequest(reader, "localhost");
                progress |= assigned(reader).size() > before;
            }
        }
        List<List<LakeSplit>> read = new ArrayList<>();
        for (int reader = 0; reader < READERS; reader++) {
            read.add(assigned(reader));
        }
        return read;
    }

    private List<LakeSplit> assigned(int reader) {
        TestingSplitEnumeratorContext.SplitAssignmentState<LakeSplit> state =
                context.getSplitAssignments().get(reader);
        return state == null ? List.of() : List.copyOf(state.getAssignedSplits());
    }

    private LakeContinuousEnumerator start(LakeChangeRouting routing, List<LakeSplit> planned) {
        LakeContinuousEnumerator enumerator =
                new LakeContinuousEnumerator(
                        context,
                        IcebergTableLoader.hadoop(tables.warehouse(), "db", "t"),
                        LakeScanSpec.builder().changelog(true).build(),
                        new LakeEnumState(true, version, planned),
                        new LakeStreamingSpec(
                                LakeStartingPosition.latest(),
                                Duration.ofHours(1),
                                LakeRewritePolicy.FAIL,
                                LakeStreamingSpec.DEFAULT_MAX_PENDING_SPLITS,
                                routing,
                                null),
                        null);
        enumerator.start();
        return enumerator;
    }

    private static LakeSplit change(int version, ChangePhase phase, String partition) {
        return LakeSplit.change(
                version + "-" + phase + "-" + partition,
                version,
                "file:/t/" + partition + "/" + version + ".parquet",
                new byte[] {1},
                phase,
                partition);
    }

    private static String route(LakeSplit split) {
        return split.routingKey().orElseThrow();
    }
}
