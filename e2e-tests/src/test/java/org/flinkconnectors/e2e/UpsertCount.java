package org.flinkconnectors.e2e;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * What an independent reader saw of an upsert table with keys {@code 0..keys-1}: rows, keys
 * missing, keys with more than one row, and rows whose value is not the key's last one. Printed by
 * every fault case that writes upserts.
 */
record UpsertCount(
        String sink, long keys, long rows, long missing, long duplicated, long staleValues) {

    /**
     * @param keyValues {@code {key, value}} of every row read
     * @param lastValue the value each key must end with
     */
    static UpsertCount of(
            String sink, long keys, List<long[]> keyValues, LongUnaryOperator lastValue) {
        Map<Long, Integer> seen = new HashMap<>();
        long stale = 0;
        for (long[] row : keyValues) {
            seen.merge(row[0], 1, Integer::sum);
            if (row[1] != lastValue.applyAsLong(row[0])) {
                stale++;
            }
        }
        long present = seen.keySet().stream().filter(k -> k >= 0 && k < keys).count();
        long duplicated = seen.values().stream().filter(n -> n > 1).count();
        return new UpsertCount(sink, keys, keyValues.size(), keys - present, duplicated, stale);
    }

    boolean oneLastRowPerKey() {
        return rows == keys && missing == 0 && duplicated == 0 && staleValues == 0;
    }

    @Override
    public String toString() {
        return String.format(
                "%-16s keys %,d: rows %,d, missing %,d, duplicated %,d, stale values %,d",
                sink, keys, rows, missing, duplicated, staleValues);
    }
}
