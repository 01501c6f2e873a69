package org.flinkconnectors.e2e.bench;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What the benchmarks of this package share: the measured {@link Result}, the {@link Probe} that
 * times a Flink job from its first record to its last, rounds that interleave the variants, the
 * median round and the printing of figures and ratios.
 */
final class BenchSupport {

    private BenchSupport() {}

    /** One measured run of one variant. */
    interface Measured {
        Result run() throws Exception;
    }

    /** The median of {@code rounds} runs of one variant. */
    static Result best(int rounds, Measured measured) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            results.add(measured.run());
        }
        return median(results);
    }

    /**
     * Runs every variant once per round, in turn, so that drift (JIT, GC, the server's own load)
     * hits them alike; returns the results per variant, in the order given.
     */
    static List<List<Result>> interleave(int rounds, Measured... variants) throws Exception {
        List<List<Result>> results = new ArrayList<>();
        for (Measured ignored : variants) {
            results.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < variants.length; v++) {
                results.get(v).add(variants[v].run());
            }
        }
        return results;
    }

    /** Prints every round of every variant, one line per variant, in records/s. */
    static void printRounds(String what, List<String> variants, List<List<Result>> results) {
        System.out.println(what + " (records/s; " + String.join(", ", variants) + "):");
        for (List<Result> variant : results) {
            System.out.println(
                    "  "
                            + variant.stream()
                                    .map(r -> String.format("%,.0f", r.recordsPerSecond()))
                                    .collect(Collectors.joining("  ")));
        }
    }

    /** Prints one variant's figures and its ratio to the raw client's. */
    static void print(String name, Result result, Result raw) {
        System.out.printf(
                "  %-34s %,12.0f records/s %8.1f MB/s   %5.2f x raw%n",
                name,
                result.recordsPerSecond(),
                result.megabytesPerSecond(),
                result.recordsPerSecond() / raw.recordsPerSecond());
    }

    static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.recordsPerSecond(), b.recordsPerSecond()));
        return sorted.get(sorted.size() / 2);
    }

    /** Records and bytes moved in a span of time. */
    record Result(long records, long bytes, long nanos) {

        double recordsPerSecond() {
            return records / (nanos / 1e9);
        }

        double megabytesPerSecond() {
            return bytes / (nanos / 1e9) / (1024 * 1024);
        }
    }

    /**
     * An environment for one connector at parallelism 1 with object reuse: that measures the
     * connector, not the copies Flink makes between chained operators.
     */
    static StreamExecutionEnvironment singleSubtaskEnvironment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.getConfig().enableObjectReuse();
        return env;
    }

    /**
     * Notes when the first and the last record pass, to leave job startup out. The counters are
     * static: the job runs in this JVM, and one job at a time.
     */
    static final class Probe<T> implements MapFunction<T, T> {
        static final AtomicLong FIRST = new AtomicLong();
        static final AtomicLong LAST = new AtomicLong();
        static final AtomicLong COUNT = new AtomicLong();

        static void reset() {
            FIRST.set(0);
            LAST.set(0);
            COUNT.set(0);
        }

        static long span() {
            return LAST.get() - FIRST.get();
        }

        /** From the first record to now: for sinks, whose job ends with the final commit. */
        static long sinceFirst() {
            return System.nanoTime() - FIRST.get();
        }

        @Override
        public T map(T value) {
            long now = System.nanoTime();
            if (COUNT.getAndIncrement() == 0) {
                FIRST.set(now);
            }
            LAST.set(now);
            return value;
        }
    }
}
