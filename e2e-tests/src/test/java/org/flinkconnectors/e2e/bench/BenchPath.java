package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchSupport.Result;
import org.flinkconnectors.e2e.bench.BenchVariant.Role;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * One measured path of a benchmark (e.g. the streams source, the Iceberg write) with its variants
 * side by side. Ratios compare medians: to the raw client loop, and for our variants to the peer
 * connector where there is one.
 *
 * @param benchmark the benchmark it belongs to, e.g. {@code streams}
 * @param name the path, e.g. {@code streams source}
 * @param description what was measured, one line
 * @param unit {@code records/s} (higher is better) or {@code ms} (lower is better)
 */
record BenchPath(
        String benchmark,
        String name,
        String description,
        String unit,
        List<BenchVariant> variants) {

    static final String THROUGHPUT = "records/s";
    static final String MILLIS = "ms";

    static BenchPath throughput(
            String benchmark, String name, String description, BenchVariant... variants) {
        return new BenchPath(benchmark, name, description, THROUGHPUT, List.of(variants));
    }

    /** A throughput path from interleaved rounds: the i-th variant ran the i-th list of results. */
    static BenchPath throughput(
            String benchmark,
            String name,
            String description,
            List<List<Result>> rounds,
            Named... variants) {
        if (rounds.size() != variants.length) {
            throw new IllegalArgumentException(
                    variants.length + " variant names for " + rounds.size() + " variants run");
        }
        return throughput(
                benchmark,
                name,
                description,
                IntStream.range(0, variants.length)
                        .mapToObj(
                                i ->
                                        BenchVariant.of(
                                                variants[i].name(),
                                                variants[i].role(),
                                                rounds.get(i)))
                        .toArray(BenchVariant[]::new));
    }

    /** A variant's name and role, before it ran. */
    record Named(String name, Role role) {

        static Named raw(String name) {
            return new Named(name, Role.RAW);
        }

        static Named peer(String name) {
            return new Named(name, Role.PEER);
        }

        static Named ours(String name) {
            return new Named(name, Role.OURS);
        }
    }

    BenchVariant raw() {
        return variant(Role.RAW).orElseThrow();
    }

    Optional<BenchVariant> peer() {
        return variant(Role.PEER);
    }

    /** The median of {@code variant} over the raw loop's median. */
    double ratioToRaw(BenchVariant variant) {
        return variant.median() / raw().median();
    }

    /** For our variants: their median over the peer's, if there is a peer. */
    Optional<Double> ratioToPeer(BenchVariant variant) {
        if (variant.role() != Role.OURS) {
            return Optional.empty();
        }
        return peer().map(p -> variant.median() / p.median());
    }

    private Optional<BenchVariant> variant(Role role) {
        return variants.stream().filter(v -> v.role() == role).findFirst();
    }
}
