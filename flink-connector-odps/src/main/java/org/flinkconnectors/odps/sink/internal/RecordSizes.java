package org.flinkconnectors.odps.sink.internal;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.data.Record;

/**
 * A cheap estimate of the bytes a record takes once encoded: the length of strings and binaries, 8
 * bytes for any other value, 1 for a null. Used where the SDK buffers records without saying how
 * much it holds (upsert streams).
 */
@Internal
final class RecordSizes {

    private RecordSizes() {}

    static long estimate(Record record) {
        long bytes = 0;
        for (int i = 0, n = record.getColumnCount(); i < n; i++) {
            Object value = record.get(i);
            if (value == null) {
                bytes += 1;
            } else if (value instanceof byte[]) {
                bytes += 4 + ((byte[]) value).length;
            } else if (value instanceof CharSequence) {
                bytes += 4 + ((CharSequence) value).length();
            } else {
                bytes += 8;
            }
        }
        return bytes;
    }
}
