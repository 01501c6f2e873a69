package org.flinkconnectors.lake.lookup;

import org.flinkconnectors.base.lookup.LookupCacheSettings;
import org.flinkconnectors.base.retry.Retrier;
import org.flinkconnectors.base.retry.RetryPolicy;
import org.flinkconnectors.lake.core.LakeStaticResources;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;
import org.apache.flink.table.types.logical.RowType;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;

/**
 * A lookup join that reads, for each probe key, the files of the table's latest version (or the
 * time-travel one) whose partition values and column statistics can hold the key, and keeps the
 * rows with that key. Behind Flink's partial cache only misses read; without a cache every probe
 * does.
 */
@Internal
public final class LakeScanLookupFunction extends LookupFunction {

    private static final long serialVersionUID = 1L;

    private final LakeLookupReader reader;
    private final RowType rowType;
    private final int[] keyPositions;
    private final int maxRetries;

    private transient LakeLookupIndex keys;
    private transient Retrier retrier;
    private transient Counter scans;
    private transient Counter rowsScanned;
    private transient Counter filesRead;
    private transient volatile long lastScanMillis;

    LakeScanLookupFunction(
            LakeLookupReader reader,
            RowType rowType,
            int[] keyPositions,
            LookupCacheSettings settings) {
        this.reader = reader;
        this.rowType = rowType;
        this.keyPositions = keyPositions.clone();
        this.maxRetries = settings.maxRetries();
    }

    @Override
    public void open(FunctionContext context) {
        LakeStaticResources.releaseWith(context);
        keys = new LakeLookupIndex(rowType, keyPositions);
        retrier =
                new Retrier(
                        RetryPolicy.of(
                                maxRetries + 1, Duration.ofMillis(200), Duration.ofSeconds(5)),
                        e -> true);
        scans = context.getMetricGroup().counter("numLookupScans");
        rowsScanned = context.getMetricGroup().counter("numLookupRowsScanned");
        filesRead = context.getMetricGroup().counter("numLookupFilesRead");
        context.getMetricGroup().gauge("lastLookupScanDurationMs", () -> lastScanMillis);
    }

    @Override
    public Collection<RowData> lookup(RowData keyRow) throws IOException {
        long started = System.currentTimeMillis();
        try {
            LakeLookupIndex found =
                    retrier.call(
                            "a lookup in " + reader.tableName(),
                            () -> {
                                // A fresh result per attempt, so a retried scan adds no row twice.
                                LakeLookupIndex rows = keys.emptyCopy();
                                int files =
                                        reader.scan(
                                                        LakeLookupKeys.equalities(
                                                                rowType, keyPositions, keyRow),
                                                        row -> {
                                                            rowsScanned.inc();
                                                            if (keys.hasKey(row, keyRow)) {
                                                                rows.add(row);
                                                            }
                                                        })
                                                .size();
                                filesRead.inc(files);
                                return rows;
                            });
            scans.inc();
            return found.get(keyRow);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            lastScanMillis = System.currentTimeMillis() - started;
        }
    }
}
