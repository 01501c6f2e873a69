package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.base.classloading.JobClassLoaderRelease;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;

import com.aliyun.odps.tunnel.TableTunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Looks up keys by scanning: MaxCompute's tunnel has no point reads, so every call downloads the
 * selected partitions (projected columns only) and keeps the rows whose key columns match. Behind
 * Flink's partial cache only cache misses get here; without a cache every probe row does. Meant for
 * small tables or rare misses; a large or busy dimension table belongs in the full cache.
 *
 * <p>A failed scan is retried as a whole with new download sessions ({@code lookup.max-retries}).
 * Metrics in the function's group: {@value #SCANS} (lookups that scanned), {@value #ROWS_SCANNED}
 * and {@value #LAST_SCAN_DURATION} (milliseconds).
 */
@Internal
public final class OdpsLookupFunction extends LookupFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OdpsLookupFunction.class);

    static final String SCANS = "numLookupScans";
    static final String ROWS_SCANNED = "numLookupRowsScanned";
    static final String LAST_SCAN_DURATION = "lastLookupScanDurationMs";

    private final OdpsLookupTable table;
    private final LookupKeyMatcher matcher;

    private transient LookupTableReader reader;
    private transient Counter scans;
    private transient Counter rowsScanned;
    private transient volatile long lastScanMillis;

    /**
     * @param keyPositions for each field of the lookup key, the position of its column in the
     *     produced row
     */
    public OdpsLookupFunction(OdpsLookupTable table, int[] keyPositions) {
        this.table = table;
        this.matcher = new LookupKeyMatcher(table.producedType(), keyPositions);
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        JobClassLoaderRelease.register(context, "odps", () -> {});
        reader = table.openReader();
        MetricGroup metrics = context.getMetricGroup();
        scans = metrics.counter(SCANS);
        rowsScanned = metrics.counter(ROWS_SCANNED);
        metrics.gauge(LAST_SCAN_DURATION, (Gauge<Long>) () -> lastScanMillis);
    }

    @Override
    public Collection<RowData> lookup(RowData key) throws IOException {
        if (matcher.hasNull(key)) {
            return List.of();
        }
        long started = System.currentTimeMillis();
        List<RowData> matches =
                table.withRetries("look up key " + key + " in " + table, () -> scan(key));
        lastScanMillis = System.currentTimeMillis() - started;
        scans.inc();
        LOG.debug("Looked up {} in {} ms: {} rows.", key, lastScanMillis, matches.size());
        return matches;
    }

    private List<RowData> scan(RowData key) throws IOException {
        List<RowData> matches = new ArrayList<>();
        for (String spec : reader.selectPartitions()) {
            TableTunnel.DownloadSession session = reader.createSession(spec);
            long rowCount = session.getRecordCount();
            if (rowCount == 0) {
                continue;
            }
            try (RowRangeReader rows = new RowRangeReader(reader, session, spec, 0, rowCount, 0)) {
                for (RowData row = rows.next(); row != null; row = rows.next()) {
                    if (matcher.matches(row, key)) {
                        matches.add(row);
                    }
                }
            }
            rowsScanned.inc(rowCount);
        }
        return matches;
    }
}
