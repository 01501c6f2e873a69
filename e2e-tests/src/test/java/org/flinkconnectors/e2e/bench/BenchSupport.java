package org.flinkconnectors.e2e.bench;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmarks of this package share: the measured {@link Result}, the {@link Probe} that
 * times a Flink job from its first record to its last, rounds that interleave the variants and the
 * process CPU time each round took. {@link BenchReport} prints and saves the figures.
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
     * hits them alike; returns the results per variant, in the order given. A first round of each
     * is not counted: it pays for class loading and the JIT. A round's CPU time is this process's,
     * from its start to its end, unless the variant measured it more narrowly.
     */
    static List<List<Result>> interleave(int rounds, Measured... variants) throws Exception {
        for (Measured variant : variants) {
            variant.run();
        }
        List<List<Result>> results = new ArrayList<>();
        for (Measured ignored : variants) {
            results.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            StringBuilder progress = new StringBuilder("round " + (round + 1) + "/" + rounds + ":");
            for (int v = 0; v < variants.length; v++) {
                Result result = cpuTimed(variants[v]);
                results.get(v).add(result);
                progress.append(String.format("  %,.0f", result.recordsPerSecond()));
            }
            // Long runs show they are alive; the report comes at the end.
            System.out.println(progress + " records/s");
        }
        return results;
    }

    /** Runs {@code measured} and notes the process CPU time it took, if it did not itself. */
    static Result cpuTimed(Measured measured) throws Exception {
        long cpuBefore = processCpuNanos();
        Result result = measured.run();
        long cpu = processCpuNanos() - cpuBefore;
        return result.cpuNanos() >= 0 ? result : result.withCpuNanos(cpu);
    }

    /** The CPU time of every thread of this JVM so far: Flink, the clients, GC and the JIT. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.recordsPerSecond(), b.recordsPerSecond()));
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Records and bytes moved in a span of time, the process CPU time spent over it, and where the
     * server is a process of its own, the server's (each -1 while not measured).
     */
    record Result(long records, long bytes, long nanos, long cpuNanos, long serverCpuNanos) {

        Result(long records, long bytes, long nanos) {
            this(records, bytes, nanos, -1, -1);
        }

        Result(long records, long bytes, long nanos, long cpuNanos) {
            this(records, bytes, nanos, cpuNanos, -1);
        }

        Result withCpuNanos(long cpu) {
            return new Result(records, bytes, nanos, cpu, serverCpuNanos);
        }

        Result withServerCpuNanos(long cpu) {
            return new Result(records, bytes, nanos, cpuNanos, cpu);
        }

        Result withBytes(long moved) {
            return new Result(records, moved, nanos, cpuNanos, serverCpuNanos);
        }

        /** Microseconds of process CPU time per record, or NaN while not measured. */
        double cpuMicrosPerRecord() {
            return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e3 / records;
        }

        /** Microseconds of the server process's CPU time per record, or NaN. */
        double serverCpuMicrosPerRecord() {
            return serverCpuNanos < 0 ? Double.NaN : serverCpuNanos / 1e3 / records;
        }

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
     * Notes when the first and the last record pass, to leave job startup out, and the process CPU
     * time over the same span. The counters are static: the job runs in this JVM, and one job at a
     * time.
     */
    static final class Probe<T> implements MapFunction<T, T> {
        static final AtomicLong FIRST = new AtomicLong();
        static final AtomicLong LAST = new AtomicLong();
        static final AtomicLong COUNT = new AtomicLong();
        static final AtomicLong FIRST_CPU = new AtomicLong();
        static final AtomicLong SAMPLED_CPU = new AtomicLong();
        static final AtomicLong SAMPLED_COUNT = new AtomicLong();

        /** The CPU clock is read every this many records: often enough, and cheap. */
        private static final long CPU_SAMPLE_MASK = 1023;

        static void reset() {
            FIRST.set(0);
            LAST.set(0);
            COUNT.set(0);
            FIRST_CPU.set(0);
            SAMPLED_CPU.set(0);
            SAMPLED_COUNT.set(0);
        }

        static long span() {
            return LAST.get() - FIRST.get();
        }

        /** From the first record to now: for sinks, whose job ends with the final commit. */
        static long sinceFirst() {
            return System.nanoTime() - FIRST.get();
        }

        /**
         * The process CPU time from the first record to the last, extrapolated from the last
         * sample; -1 if too few records passed to tell.
         */
        static long cpuSpan() {
            long sampled = SAMPLED_COUNT.get();
            if (sampled == 0) {
                return -1;
            }
            double perRecord = (double) (SAMPLED_CPU.get() - FIRST_CPU.get()) / sampled;
            return (long) (perRecord * (COUNT.get() - 1));
        }

        /** The process CPU time from the first record to now, like {@link #sinceFirst}. */
        static long cpuSinceFirst() {
            return processCpuNanos() - FIRST_CPU.get();
        }

        @Override
        public T map(T value) {
            long now = System.nanoTime();
            long count = COUNT.getAndIncrement();
            if (count == 0) {
                FIRST.set(now);
                FIRST_CPU.set(processCpuNanos());
            } else if ((count & CPU_SAMPLE_MASK) == 0) {
                SAMPLED_CPU.set(processCpuNanos());
                SAMPLED_COUNT.set(count);
            }
            LAST.set(now);
            return value;
        }
    }
}
