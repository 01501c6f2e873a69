package org.flinkconnectors.odps.types;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.TimestampData;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The Flink values of MaxCompute decimals and timestamps, for records ({@link
 * OdpsToFlinkConverters}) and Arrow batches ({@link ArrowToFlinkVectors}) alike, so that both
 * download formats give equal values: a decimal that does not fit is an error rather than NULL, a
 * timestamp is cut to the declared precision.
 */
@Internal
final class ScalarValues {

    private static final int NANOS_PER_MILLI = 1_000_000;

    private ScalarValues() {}

    /**
     * @throws ArithmeticException if {@code value} does not fit {@code DECIMAL(precision, scale)}
     */
    static DecimalData decimal(BigDecimal value, int precision, int scale) {
        DecimalData data = DecimalData.fromBigDecimal(value, precision, scale);
        if (data == null) {
            // Flink would turn the overflow into NULL; losing a value silently is worse.
            throw overflow(value, precision, scale);
        }
        return data;
    }

    static ArithmeticException overflow(BigDecimal value, int precision, int scale) {
        return new ArithmeticException(
                String.format(
                        "Value %s does not fit DECIMAL(%d, %d).",
                        value.toPlainString(), precision, scale));
    }

    static long pow10(int exponent) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= 10;
        }
        return result;
    }

    /**
     * Cuts digits beyond a {@code TIMESTAMP(p)}'s precision: Flink takes a value of that type to
     * have none (when comparing, grouping or printing it), while MaxCompute hands out milliseconds
     * (DATETIME) or nanoseconds (TIMESTAMP). A value is split as {@link TimestampData} holds it:
     * milliseconds since the epoch and nanoseconds within the millisecond.
     */
    static final class TimestampCut implements Serializable {

        private static final long serialVersionUID = 1L;

        private final long millisUnit;
        private final int nanosUnit;

        TimestampCut(int precision) {
            this.millisUnit = precision >= 3 ? 1 : pow10(3 - precision);
            // Below millisecond precision every nanosecond of the millisecond goes.
            this.nanosUnit =
                    precision >= 3 ? (int) pow10(9 - Math.min(precision, 9)) : NANOS_PER_MILLI;
        }

        /** Whether the cut changes nothing: nanosecond precision. */
        boolean keepsAll() {
            return millisUnit == 1 && nanosUnit == 1;
        }

        /** Whether the cut keeps every millisecond, so that it only touches the nanoseconds. */
        boolean keepsMillis() {
            return millisUnit == 1;
        }

        long millis(long epochMillis) {
            return millisUnit == 1
                    ? epochMillis
                    : Math.floorDiv(epochMillis, millisUnit) * millisUnit;
        }

        int nanoOfMilli(int nanoOfMilli) {
            return nanoOfMilli - nanoOfMilli % nanosUnit;
        }

        long epochMillisOfNanos(long epochNanos) {
            return millis(Math.floorDiv(epochNanos, NANOS_PER_MILLI));
        }

        int nanoOfMilliOfNanos(long epochNanos) {
            return nanoOfMilli((int) Math.floorMod(epochNanos, NANOS_PER_MILLI));
        }

        TimestampData cut(TimestampData value) {
            return keepsAll()
                    ? value
                    : TimestampData.fromEpochMillis(
                            millis(value.getMillisecond()),
                            nanoOfMilli(value.getNanoOfMillisecond()));
        }
    }
}
