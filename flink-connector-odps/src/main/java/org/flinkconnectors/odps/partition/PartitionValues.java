package org.flinkconnectors.odps.partition;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.PartitionSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers shared by the partition classes: spec parsing, key lookup and value order. */
@Internal
final class PartitionValues {

    private PartitionValues() {}

    /**
     * Parses a partition spec as MaxCompute prints it ({@code ds=1/hh=2} or {@code ds='1',hh='2'})
     * into its levels, in order.
     */
    static LinkedHashMap<String, String> parseSpec(String spec) {
        PartitionSpec parsed;
        try {
            parsed = new PartitionSpec(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Malformed partition spec '" + spec + "'.", e);
        }
        return toMap(parsed);
    }

    static LinkedHashMap<String, String> toMap(PartitionSpec spec) {
        LinkedHashMap<String, String> levels = new LinkedHashMap<>();
        for (String key : spec.keys()) {
            levels.put(key, spec.get(key));
        }
        return levels;
    }

    /**
     * The value of {@code key}; MaxCompute column names are case-insensitive, so an exact match is
     * preferred and any other spelling accepted.
     */
    static String get(Map<String, String> partition, String key) {
        String value = partition.get(key);
        if (value != null || partition.containsKey(key)) {
            return value;
        }
        for (Map.Entry<String, String> entry : partition.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * Orders strings by Unicode code point, which is the order of their UTF-8 bytes: the order in
     * which MaxCompute and Flink compare strings ({@link String#compareTo} compares UTF-16 units
     * and differs for characters outside the Basic Multilingual Plane).
     */
    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
