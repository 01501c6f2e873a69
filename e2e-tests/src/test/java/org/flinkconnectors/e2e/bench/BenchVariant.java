package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchSupport.Result;

import java.util.Arrays;
import java.util.List;

/**
 * The rounds of one variant of one benchmark path: their values (records/s, or milliseconds for
 * timed operations), and where measured the MB/s and the CPU time per record of each, of this
 * process and of a server process.
 *
 * @param role what the variant is compared as: the raw client loop, the peer connector, or ours
 * @param values one value per round, in the order run
 * @param megabytesPerSecond one per round, or empty
 * @param cpuMicrosPerRecord one per round, or empty
 * @param serverCpuMicrosPerRecord one per round, or empty
 */
record BenchVariant(
        String name,
        Role role,
        double[] values,
        double[] megabytesPerSecond,
        double[] cpuMicrosPerRecord,
        double[] serverCpuMicrosPerRecord) {

    /** How a variant is compared. */
    enum Role {
        RAW,
        PEER,
        OURS
    }

    /** A throughput variant from its measured rounds. */
    static BenchVariant of(String name, Role role, List<Result> rounds) {
        return new BenchVariant(
                name,
                role,
                rounds.stream().mapToDouble(Result::recordsPerSecond).toArray(),
                rounds.stream().mapToDouble(Result::megabytesPerSecond).toArray(),
                measured(rounds.stream().mapToDouble(Result::cpuMicrosPerRecord).toArray()),
                measured(rounds.stream().mapToDouble(Result::serverCpuMicrosPerRecord).toArray()));
    }

    /** The values, or none unless every round was measured. */
    private static double[] measured(double[] values) {
        return Arrays.stream(values).anyMatch(Double::isNaN) ? new double[0] : values;
    }

    /** A variant of plain values (e.g. durations in ms) per round. */
    static BenchVariant ofValues(String name, Role role, List<Double> rounds) {
        return new BenchVariant(
                name,
                role,
                rounds.stream().mapToDouble(Double::doubleValue).toArray(),
                new double[0],
                new double[0],
                new double[0]);
    }

    double min() {
        return Arrays.stream(values).min().orElseThrow();
    }

    double max() {
        return Arrays.stream(values).max().orElseThrow();
    }

    double median() {
        return median(values);
    }

    /** The median of an odd count, the mean of the middle two of an even one. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
