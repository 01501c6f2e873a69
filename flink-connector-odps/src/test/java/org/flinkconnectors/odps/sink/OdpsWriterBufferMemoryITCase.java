package org.flinkconnectors.odps.sink;

import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;
import org.flinkconnectors.odps.testutils.ServerTable;

import com.aliyun.odps.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One memory budget over all partitions a writer buffers ({@code sink.buffer-memory}): the buffers
 * never hold more than the budget plus the row just written, the largest is the one sent early, and
 * every row still arrives exactly once.
 */
class OdpsWriterBufferMemoryITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    /** The encoded bytes of one row: its name plus id, tags and checksum (generously). */
    private static final int ROW_OVERHEAD = 64;

    @Test
    void fiveHundredPartitionsStayWithinTheBudget() throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(ODPS, "budget_500", OdpsTestTables.idNameSchema(true));
        long budget = 1L << 20;
        int partitions = 500;
        int rows = 25_000;
        int nameLength = 180;
        OdpsSink<Long> sink =
                sink(table, id -> "ds=p" + (id % partitions), nameLength)
                        .setDynamicPartitionLimit(partitions)
                        .setBufferMemory(budget)
                        .build();

        List<OdpsCommittable> committables;
        try (OdpsWriter<Long> writer = (OdpsWriter<Long>) sink.createWriter(context())) {
            for (long id = 0; id < rows; id++) {
                writer.write(id, TestWriterInitContext.NO_ELEMENT_CONTEXT);
                assertThat(writer.bufferedBytes())
                        .as("buffered after row %s", id)
                        .isLessThanOrEqualTo(budget + nameLength + ROW_OVERHEAD);
            }
            // The budget was used, not undercut: flushing started once it was full.
            assertThat(writer.peakBufferedBytes())
                    .isGreaterThan(budget - nameLength - ROW_OVERHEAD);
            committables = new ArrayList<>(writer.prepareCommit());
        }
        assertThat(committables).hasSize(partitions);
        // More blocks than partitions: buffers were sent before the checkpoint.
        assertThat(committables.stream().mapToInt(c -> c.blockIds().length).sum())
                .isGreaterThan(partitions);

        commit(committables);
        assertThat(table.partitions()).hasSize(partitions);
        assertThat(OdpsTestTables.committedIds(table))
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.range(0, rows).boxed().collect(Collectors.toList()));
    }

    @Test
    void theLargestBufferIsSentWhenTheBudgetIsExceeded() throws Exception {
        ServerTable table =
                OdpsTestTables.createTable(
                        ODPS, "budget_largest", OdpsTestTables.idNameSchema(true));
        int nameLength = 1000;
        // ids 0-99 go to partition a, 100-199 to b, 200-299 to c.
        OdpsSink<Long> sink =
                sink(table, id -> "ds=" + (char) ('a' + id / 100), nameLength)
                        .setBufferMemory(100_000)
                        .build();

        Map<String, long[]> blocks;
        try (OdpsWriter<Long> writer = (OdpsWriter<Long>) sink.createWriter(context())) {
            write(writer, 0, 50); // a: about 50 KB
            write(writer, 100, 40); // b: about 40 KB
            write(writer, 200, 6); // c: about 6 KB, 96 KB in all
            assertThat(writer.bufferedBytes()).isBetween(90_000L, 100_000L);
            write(writer, 140, 5); // b: the row that exceeds the budget
            assertThat(writer.bufferedBytes()).isLessThan(60_000L);
            // One more row each: a partition sent early has one block more at the checkpoint.
            write(writer, 50, 1);
            write(writer, 145, 1);
            write(writer, 206, 1);
            blocks =
                    writer.prepareCommit().stream()
                            .collect(
                                    Collectors.toMap(
                                            OdpsCommittable::partition, OdpsCommittable::blockIds));
        }
        // a, the largest though not the one written to, was sent early as its own block.
        assertThat(blocks.get("ds=a")).hasSize(2);
        assertThat(blocks.get("ds=b")).hasSize(1);
        assertThat(blocks.get("ds=c")).hasSize(1);
    }

    private static OdpsSinkBuilder<Long> sink(
            ServerTable table, Function<Long, String> partitionOf, int nameLength) {
        return OdpsSink.<Long>builder()
                .setConnection(OdpsTestTables.connection(ODPS))
                .setTable(table.name())
                .setMaxBlockBytes(64L << 20)
                .setCompression(false)
                .setSerializationSchema(new Rows(partitionOf, nameLength));
    }

    private static void write(OdpsWriter<Long> writer, long from, int count) throws Exception {
        for (long id = from; id < from + count; id++) {
            writer.write(id, TestWriterInitContext.NO_ELEMENT_CONTEXT);
        }
    }

    private static void commit(Collection<OdpsCommittable> committables) throws Exception {
        try (OdpsCommitter committer = new OdpsCommitter(OdpsTestTables.connection(ODPS))) {
            List<RecordedCommitRequest> requests =
                    committables.stream()
                            .map(RecordedCommitRequest::new)
                            .collect(Collectors.toList());
            committer.commit(new ArrayList<>(requests));
            assertThat(requests).allSatisfy(r -> assertThat(r.outcome).isEqualTo("committed"));
        }
    }

    private static TestWriterInitContext context() {
        return new TestWriterInitContext();
    }

    /** Rows {@code (id, name)} with a name of fixed length that differs from row to row. */
    private static final class Rows implements OdpsRecordSerializationSchema<Long> {
        private final Function<Long, String> partitionOf;
        private final int nameLength;

        Rows(Function<Long, String> partitionOf, int nameLength) {
            this.partitionOf = partitionOf;
            this.nameLength = nameLength;
        }

        @Override
        public void serialize(Long id, Record target) {
            target.setBigint(0, id);
            StringBuilder name = new StringBuilder(nameLength);
            for (int i = 0; name.length() < nameLength; i++) {
                name.append((char) ('a' + (id * 31 + i * 7) % 26));
            }
            target.setString(1, name.toString());
        }

        @Override
        public String partitionOf(Long id) {
            return partitionOf.apply(id);
        }
    }
}
