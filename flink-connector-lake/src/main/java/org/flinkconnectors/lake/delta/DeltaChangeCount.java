package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.StructType;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files and rows of a commit's data-changing {@code add} or {@code remove} actions, for messages:
 * rows come from the actions' {@code stats} ({@code numRecords}), which writers may leave out.
 */
@Internal
final class DeltaChangeCount {

    private static final Pattern NUM_RECORDS = Pattern.compile("\"numRecords\"\\s*:\\s*(\\d+)");

    private long files;
    private long rows;
    private long filesWithoutStats;

    /** Counts the action in this row of an {@code add} or {@code remove} column. */
    void count(ColumnVector actions, int row) {
        files++;
        StructType schema = (StructType) actions.getDataType();
        int statsIndex = schema.indexOf("stats");
        ColumnVector stats = statsIndex < 0 ? null : actions.getChild(statsIndex);
        Matcher matcher =
                stats == null || stats.isNullAt(row)
                        ? null
                        : NUM_RECORDS.matcher(stats.getString(row));
        if (matcher != null && matcher.find()) {
            rows += Long.parseLong(matcher.group(1));
        } else {
            filesWithoutStats++;
        }
    }

    /** E.g. {@code "2 data files (1,000 rows)"}, or with the files whose rows are unknown. */
    String describe() {
        String counted = String.format("%,d data files (%,d rows", files, rows);
        return filesWithoutStats == 0
                ? counted + ")"
                : counted + String.format(" and %,d files without row counts)", filesWithoutStats);
    }
}
