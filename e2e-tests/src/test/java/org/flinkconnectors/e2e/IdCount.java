package org.flinkconnectors.e2e;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an independent reader saw of ids {@code 1..expected}: how many rows, how many distinct ids,
 * how many ids missing, duplicated, or outside the range. Printed by every fault case.
 */
record IdCount(
        String sink,
        long expected,
        long rows,
        long distinct,
        long missing,
        long duplicated,
        long unexpected) {

    static IdCount of(String sink, long expected, List<Long> ids) {
        Map<Long, Integer> seen = new HashMap<>();
        long unexpected = 0;
        for (long id : ids) {
            if (id < 1 || id > expected) {
                unexpected++;
            }
            seen.merge(id, 1, Integer::sum);
        }
        long duplicated = seen.values().stream().filter(n -> n > 1).count();
        long present = seen.keySet().stream().filter(id -> id >= 1 && id <= expected).count();
        return new IdCount(
                sink,
                expected,
                ids.size(),
                seen.size(),
                expected - present,
                duplicated,
                unexpected);
    }

    public boolean exactlyOnce() {
        return rows == expected && missing == 0 && duplicated == 0 && unexpected == 0;
    }

    @Override
    public String toString() {
        return String.format(
                "%-16s expected %,d: rows %,d, distinct %,d, missing %,d, duplicated %,d,"
                        + " unexpected %,d",
                sink, expected, rows, distinct, missing, duplicated, unexpected);
    }
}
