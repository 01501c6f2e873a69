package org.flinkconnectors.odps.source;

import org.flinkconnectors.base.source.reader.PositionedRecord;
import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.odps.source.reader.OdpsSourceReaderMetrics;
import org.flinkconnectors.odps.source.reader.OdpsSplitReader;
import org.flinkconnectors.odps.source.reader.TableReadContext;
import org.flinkconnectors.odps.source.split.OdpsSplit;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.append;
import static org.flinkconnectors.odps.source.OdpsSourceTestData.uniqueTable;

/**
 * Split readers on their own, outside a Flink job, against the test server: the tables they read,
 * the readers (closed after each test, when the server's faults are cleared too) and what a fetch
 * gives. Register it per test: {@code @RegisterExtension final SplitReaderFixture fixture = new
 * SplitReaderFixture(ODPS);}.
 */
final class SplitReaderFixture implements AfterEachCallback {

    private final OdpsTestServer server;
    private final List<OdpsSplitReader<String>> readers = new ArrayList<>();
    private OdpsSourceReaderMetrics metrics;

    SplitReaderFixture(OdpsTestServer server) {
        this.server = server;
    }

    /** A new non-partitioned table of {@code id, name} with ids {@code [0, rows)}. */
    String plainTable(String prefix, int rows) {
        String table = uniqueTable(prefix);
        OdpsTestTables.createTable(server, table, OdpsTestTables.idNameSchema(false));
        append(server, table, "", 0, rows);
        return table;
    }

    /**
     * A reader of the source {@code builder} builds, given {@code splits}; {@code limit} < 0 reads
     * without a limit.
     */
    OdpsSplitReader<String> reader(
            OdpsSourceBuilder<String> builder,
            OdpsRecordDeserializer<String> deserializer,
            long limit,
            OdpsSplit... splits) {
        OdpsSource<String> source = builder.build();
        metrics =
                new OdpsSourceReaderMetrics(
                        UnregisteredMetricsGroup.createSourceReaderMetricGroup());
        OdpsSplitReader<String> reader =
                new OdpsSplitReader<>(
                        new TableReadContext<>(source.getSettings(), deserializer),
                        limit < 0 ? ReadLimit.none() : ReadLimit.of(limit),
                        metrics);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(splits)));
        readers.add(reader);
        return reader;
    }

    /** The metrics of the reader made last. */
    OdpsSourceReaderMetrics metrics() {
        return metrics;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        server.faults().clear();
        for (OdpsSplitReader<String> reader : readers) {
            reader.close();
        }
        readers.clear();
    }

    /**
     * Fetches until {@code split} is finished, checking that every fetch's last position is right
     * after the rows read so far.
     */
    static List<String> drain(OdpsSplitReader<String> reader, OdpsSplit split) throws IOException {
        List<String> values = new ArrayList<>();
        long expectedNext = split.getNextRow();
        while (true) {
            Fetched fetched = fetch(reader);
            values.addAll(fetched.values);
            if (!fetched.values.isEmpty()) {
                expectedNext += fetched.values.size();
                assertThat(fetched.lastNextRow).isEqualTo(expectedNext);
            }
            if (fetched.finished.contains(split.splitId())) {
                return values;
            }
        }
    }

    static Fetched fetch(OdpsSplitReader<String> reader) throws IOException {
        RecordsWithSplitIds<PositionedRecord<String>> records = reader.fetch();
        Fetched fetched = new Fetched();
        while (records.nextSplit() != null) {
            PositionedRecord<String> row;
            while ((row = records.nextRecordFromSplit()) != null) {
                fetched.values.add(row.value());
                fetched.lastNextRow = row.positionAfter();
            }
        }
        fetched.finished.addAll(records.finishedSplits());
        return fetched;
    }

    /** What one fetch gave: the values, the position after the last one, the finished splits. */
    static final class Fetched {
        final List<String> values = new ArrayList<>();
        final Set<String> finished = new HashSet<>();
        long lastNextRow = -1;
    }
}
