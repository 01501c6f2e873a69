package org.flinkconnectors.odps.lookup;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.io.DefaultInputSplitAssigner;
import org.apache.flink.api.common.io.RichInputFormat;
import org.apache.flink.api.common.io.statistics.BaseStatistics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputSplitAssigner;
import org.apache.flink.table.data.RowData;

import com.aliyun.odps.tunnel.TableTunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the full lookup cache: Flink's cache loader calls {@link #createInputSplits} at every
 * (re)load, which selects the partitions anew (so {@code max_pt()} moves on to a newer partition),
 * opens a download session on each and cuts it into row ranges of {@code scan.split-rows} rows.
 * Flink then reads the splits in parallel threads, each with a copy of this format.
 *
 * <p>A split whose download breaks resumes at the row where it broke ({@code lookup.max-retries}
 * times); a failed selection is retried as a whole. A reload that still fails fails the lookup
 * join, as Flink's full cache does.
 */
@Internal
public final class OdpsLookupInputFormat extends RichInputFormat<RowData, OdpsLookupSplit> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OdpsLookupInputFormat.class);

    private final OdpsLookupTable table;

    private transient LookupTableReader reader;
    @Nullable private transient RowRangeReader rows;
    @Nullable private transient RowData next;

    public OdpsLookupInputFormat(OdpsLookupTable table) {
        this.table = table;
    }

    @Override
    public void configure(Configuration parameters) {}

    @Override
    public BaseStatistics getStatistics(BaseStatistics cachedStatistics) {
        return cachedStatistics;
    }

    @Override
    public OdpsLookupSplit[] createInputSplits(int minNumSplits) throws IOException {
        long started = System.currentTimeMillis();
        List<OdpsLookupSplit> splits =
                table.withRetries("plan the lookup cache load of " + table, this::planSplits);
        long rowCount = splits.stream().mapToLong(OdpsLookupSplit::count).sum();
        if (splits.isEmpty()) {
            LOG.warn(
                    "Lookup table {}: no rows in the selected partitions; the cache stays empty"
                            + " until the next reload.",
                    table);
            return new OdpsLookupSplit[] {OdpsLookupSplit.empty()};
        }
        LOG.info(
                "Lookup table {}: loading {} rows in {} splits (planned in {} ms).",
                table,
                rowCount,
                splits.size(),
                System.currentTimeMillis() - started);
        return splits.toArray(new OdpsLookupSplit[0]);
    }

    private List<OdpsLookupSplit> planSplits() throws IOException {
        LookupTableReader planner = table.openReader();
        List<String> partitions = planner.selectPartitions();
        LOG.info("Lookup table {}: partitions selected for the cache: {}.", table, partitions);
        List<OdpsLookupSplit> splits = new ArrayList<>();
        for (String spec : partitions) {
            TableTunnel.DownloadSession session = planner.createSession(spec);
            long rowCount = session.getRecordCount();
            for (long start = 0; start < rowCount; start += table.splitRows()) {
                long count = Math.min(table.splitRows(), rowCount - start);
                splits.add(new OdpsLookupSplit(splits.size(), spec, session.getId(), start, count));
            }
        }
        return splits;
    }

    @Override
    public InputSplitAssigner getInputSplitAssigner(OdpsLookupSplit[] inputSplits) {
        return new DefaultInputSplitAssigner(inputSplits);
    }

    @Override
    public void openInputFormat() throws IOException {
        reader = table.openReader();
    }

    @Override
    public void open(OdpsLookupSplit split) throws IOException {
        if (reader == null) {
            openInputFormat();
        }
        next = null;
        if (split.isEmpty()) {
            return;
        }
        TableTunnel.DownloadSession session =
                reader.attachSession(split.partitionSpec(), split.sessionId());
        rows =
                new RowRangeReader(
                        reader,
                        session,
                        split.partitionSpec(),
                        split.start(),
                        split.start() + split.count(),
                        table.maxRetries());
        next = rows.next();
    }

    @Override
    public boolean reachedEnd() {
        return next == null;
    }

    @Override
    public RowData nextRecord(RowData reuse) throws IOException {
        RowData current = next;
        next = rows == null ? null : rows.next();
        return current;
    }

    @Override
    public void close() throws IOException {
        if (rows != null) {
            RowRangeReader closing = rows;
            rows = null;
            closing.close();
        }
    }

    @Override
    public void closeInputFormat() {
        reader = null;
    }
}
