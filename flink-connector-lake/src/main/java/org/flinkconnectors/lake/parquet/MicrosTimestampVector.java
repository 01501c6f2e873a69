package org.flinkconnectors.lake.parquet;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.columnar.vector.LongColumnVector;
import org.apache.flink.table.data.columnar.vector.TimestampColumnVector;

/**
 * Timestamps kept as the file's microseconds since the epoch and made {@link TimestampData} when
 * asked for. Rounding towards negative infinity keeps the instants before 1970 exact.
 */
@Internal
final class MicrosTimestampVector implements TimestampColumnVector {

    private final LongColumnVector micros;

    MicrosTimestampVector(LongColumnVector micros) {
        this.micros = micros;
    }

    @Override
    public TimestampData getTimestamp(int i, int precision) {
        long value = micros.getLong(i);
        return TimestampData.fromEpochMillis(
                Math.floorDiv(value, 1_000), (int) Math.floorMod(value, 1_000) * 1_000);
    }

    @Override
    public boolean isNullAt(int i) {
        return micros.isNullAt(i);
    }
}
