package org.flinkconnectors.odps.source;

import org.flinkconnectors.odps.source.SplitReaderFixture.Fetched;
import org.flinkconnectors.odps.source.reader.OdpsSplitReader;
import org.flinkconnectors.odps.source.split.OdpsSplit;
import org.flinkconnectors.odps.testutils.OdpsTestServer;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.builder;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.dataRequests;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.expected;
import static org.flinkconnectors.odps.source.SplitReaderFixture.drain;
import static org.flinkconnectors.odps.source.SplitReaderFixture.fetch;

/**
 * The split reader on Arrow downloads against the test server: positions per row across Arrow
 * batches and fetches, resuming mid-split, broken streams, the limit and wake-ups.
 */
class OdpsArrowSplitReaderITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    @RegisterExtension final SplitReaderFixture fixture = new SplitReaderFixture(ODPS);

    @Test
    void readsARangeInArrowBatchesWithAPositionPerRow() throws Exception {
        String table = plainTable(5_000);
        // Rows [1000, 3500), of which the first 700 were read before.
        OdpsSplit split = new OdpsSplit("", "expired", 1_000, 2_500, 700);

        List<String> values = drain(reader(table, -1, split), split);

        assertThat(values).isEqualTo(expected("", 1_700, 1_800));
        assertThat(dataRequests(ODPS, table))
                .allSatisfy(r -> assertThat(r.has("arrow")).isTrue())
                .extracting(r -> r.param("rowrange"))
                .containsExactly("(1700,1800)");
    }

    @Test
    void aRestoredSplitResumesAtItsNextRow() throws Exception {
        String table = plainTable(3_000);
        OdpsSplit split = new OdpsSplit("", "expired", 0, 3_000);
        OdpsSplitReader<String> first = reader(table, -1, split);
        Fetched beforeCheckpoint = fetch(first);
        // A checkpoint now stores the position after the last emitted row.
        OdpsSplit restored = new OdpsSplit("", "expired", 0, 3_000, beforeCheckpoint.lastNextRow);

        List<String> afterRestore = drain(reader(table, -1, restored), restored);

        assertThat(beforeCheckpoint.values).isEqualTo(expected("", 0, 2_000));
        assertThat(afterRestore).isEqualTo(expected("", 2_000, 1_000));
    }

    @Test
    void brokenStreamsAndServerErrorsAreRetriedWithoutLosingOrRepeatingRows() throws Exception {
        String table = plainTable(3_000);
        ODPS.faults().failRequests(r -> r.has("data"), 1, 503);
        ODPS.faults().truncateDownloads(r -> r.has("data"), 2, 5_000);
        OdpsSplit split = new OdpsSplit("", "expired", 0, 3_000);

        List<String> values = drain(reader(table, -1, split), split);

        assertThat(values).isEqualTo(expected("", 0, 3_000));
        assertThat(ODPS.faults().pending()).isZero();
        assertThat(dataRequests(ODPS, table).size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aStreamThatKeepsBreakingFailsNamingTheRow() throws Exception {
        String table = plainTable(3_000);
        ODPS.faults().truncateDownloads(r -> r.has("data"), 100, 100);
        OdpsSplit split = new OdpsSplit("", "expired", 0, 3_000);

        assertThatThrownBy(() -> drain(reader(table, -1, split), split))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("The Arrow download of table ")
                .hasMessageContaining("broke at row ")
                .hasMessageContaining("4 times in a row");
    }

    @Test
    void limitEndsEverySplitWithoutReadingOn() throws Exception {
        String table = plainTable(100);
        OdpsSplit first = new OdpsSplit("", "s", 0, 50);
        OdpsSplit second = new OdpsSplit("", "s", 50, 50);
        OdpsSplitReader<String> reader = reader(table, 3, first, second);

        Fetched limited = fetch(reader);
        Fetched rest = fetch(reader);

        assertThat(limited.values).isEqualTo(expected("", 0, 3));
        assertThat(limited.lastNextRow).isEqualTo(3);
        assertThat(rest.values).isEmpty();
        assertThat(rest.finished).containsExactlyInAnyOrder(first.splitId(), second.splitId());
    }

    @Test
    void wakeUpEndsAFetchEarlyAndTheNextContinues() throws Exception {
        String table = plainTable(10);
        OdpsSplit split = new OdpsSplit("", "s", 0, 10);
        OdpsSplitReader<String> reader = reader(table, -1, split);

        reader.wakeUp();
        Fetched woken = fetch(reader);
        Fetched next = fetch(reader);

        assertThat(woken.values).isEmpty();
        assertThat(next.values).isEqualTo(expected("", 0, 10));
        assertThat(next.finished).containsExactly(split.splitId());
    }

    private String plainTable(int rows) {
        return fixture.plainTable("arrow_reader", rows);
    }

    private OdpsSplitReader<String> reader(String table, long limit, OdpsSplit... splits) {
        return fixture.reader(
                builder(ODPS, table)
                        .setDeserializer(new SpecAndIdBatches())
                        .setArrowDownloads(true),
                new SpecAndIdBatches(),
                limit,
                splits);
    }

    /** {@code <spec>/<id>} from the batch's {@code id} vector. */
    private static final class SpecAndIdBatches implements ArrowBatchDeserializer<String> {
        private int idIndex = -1;

        @Override
        public void open(TableSchema tableSchema, List<String> readColumns) {
            idIndex = readColumns.indexOf("id");
        }

        @Override
        public List<String> deserializeBatch(VectorSchemaRoot batch, String partitionSpec) {
            BigIntVector ids = (BigIntVector) batch.getVector(idIndex);
            List<String> values = new ArrayList<>(batch.getRowCount());
            for (int i = 0; i < batch.getRowCount(); i++) {
                values.add(partitionSpec + "/" + ids.get(i));
            }
            return values;
        }

        @Override
        public String deserialize(Record record, String partitionSpec) {
            throw new UnsupportedOperationException("Arrow downloads only");
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
