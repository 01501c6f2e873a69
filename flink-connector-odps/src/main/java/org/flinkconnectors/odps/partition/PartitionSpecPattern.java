package org.flinkconnectors.odps.partition;

import org.flinkconnectors.odps.table.OdpsConnectorOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.ValidationException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The value of the {@code partition} option: which partitions to read, or the static partition to
 * write.
 *
 * <ul>
 *   <li>{@code ds=20260101,hh=00} or {@code ds=20260101/hh=00}: one partition per level; keys may
 *       be written in any order and omitted keys match every value, so {@code ds=20260101} on a
 *       {@code (ds, hh)} table selects all its hours;
 *   <li>{@code '*'} in a value matches any characters: {@code ds=2026*}, {@code ds=*,hh=0*};
 *   <li>{@code ;} separates alternatives: {@code ds=20260101;ds=20260102};
 *   <li>{@code max_pt()} selects the greatest partition, comparing level by level, each as a string
 *       (as MaxCompute does: {@code '9' > '10'});
 *   <li>{@code max_pt_with_done()} selects the greatest partition {@code P} that has a sibling
 *       partition whose last level is {@code P}'s last value plus {@code ".done"} and that is not a
 *       {@code .done} partition itself: the usual "this partition is complete" marker.
 * </ul>
 *
 * <p>Unlike MaxCompute SQL's {@code MAX_PT} function, which returns the greatest first-level value
 * that holds data, {@code max_pt()} here selects one complete partition and does not look at its
 * size. Values may be quoted ({@code ds='20260101'}) as MaxCompute prints them.
 */
@PublicEvolving
public final class PartitionSpecPattern implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final String MAX_PT = "max_pt()";
    private static final String MAX_PT_WITH_DONE = "max_pt_with_done()";
    private static final String DONE_SUFFIX = ".done";

    static final String ACCEPTED_FORMS =
            "Accepted forms: 'key=value[,key=value...]' with ',' or '/' between levels (e.g."
                    + " 'ds=20260101,hh=00' or 'ds=20260101/hh=00'; omitted keys match every"
                    + " value), '*' wildcards in values (e.g. 'ds=2026*'), alternatives separated"
                    + " by ';' (e.g. 'ds=20260101;ds=20260102'), or exactly one of 'max_pt()' and"
                    + " 'max_pt_with_done()'.";

    private enum Kind {
        SPECS,
        MAX_PT,
        MAX_PT_WITH_DONE
    }

    private final Kind kind;

    /** Key (as written) to value pattern, per alternative; empty for the max_pt kinds. */
    private final ArrayList<LinkedHashMap<String, String>> alternatives;

    private PartitionSpecPattern(Kind kind, ArrayList<LinkedHashMap<String, String>> alternatives) {
        this.kind = kind;
        this.alternatives = alternatives;
    }

    /**
     * Parses a {@code partition} option value.
     *
     * @throws ValidationException naming the option and showing the accepted forms
     */
    public static PartitionSpecPattern parse(String value) {
        if (value == null || value.trim().isEmpty()) {
            throw invalid(value, "the value is empty");
        }
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase(MAX_PT)) {
            return new PartitionSpecPattern(Kind.MAX_PT, new ArrayList<>());
        }
        if (trimmed.equalsIgnoreCase(MAX_PT_WITH_DONE)) {
            return new PartitionSpecPattern(Kind.MAX_PT_WITH_DONE, new ArrayList<>());
        }
        ArrayList<LinkedHashMap<String, String>> alternatives = new ArrayList<>();
        for (String alternative : trimmed.split(";", -1)) {
            alternatives.add(parseAlternative(value, alternative.trim()));
        }
        return new PartitionSpecPattern(Kind.SPECS, alternatives);
    }

    private static LinkedHashMap<String, String> parseAlternative(
            String value, String alternative) {
        if (alternative.isEmpty()) {
            throw invalid(value, "an alternative between ';' is empty");
        }
        if (alternative.toLowerCase(Locale.ROOT).contains("max_pt(")) {
            throw invalid(value, "'max_pt()' and 'max_pt_with_done()' must be the whole value");
        }
        LinkedHashMap<String, String> levels = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String level : alternative.split("[,/]", -1)) {
            String pair = level.trim();
            int eq = pair.indexOf('=');
            if (eq < 0 || pair.indexOf('=', eq + 1) >= 0) {
                throw invalid(value, "'" + pair + "' is not of the form key=value");
            }
            String key = pair.substring(0, eq).trim();
            String pattern = unquote(pair.substring(eq + 1).trim());
            if (key.isEmpty() || !key.chars().allMatch(PartitionSpecPattern::isKeyChar)) {
                throw invalid(value, "'" + key + "' in '" + pair + "' is not a partition key");
            }
            if (pattern.isEmpty() || pattern.indexOf('\'') >= 0 || pattern.indexOf('"') >= 0) {
                throw invalid(value, "the value of '" + key + "' is empty or badly quoted");
            }
            if (!seen.add(key.toLowerCase(Locale.ROOT))) {
                throw invalid(value, "key '" + key + "' appears twice in '" + alternative + "'");
            }
            levels.put(key, pattern);
        }
        return levels;
    }

    private static boolean isKeyChar(int c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            char last = value.charAt(value.length() - 1);
            if ((first == '\'' || first == '"') && first == last) {
                return value.substring(1, value.length() - 1);
            }
        }
        return value;
    }

    /** One exact partition spec, no wildcard and no {@code max_pt}: what a sink can write to. */
    public boolean isStatic() {
        return kind == Kind.SPECS
                && alternatives.size() == 1
                && alternatives.get(0).values().stream().noneMatch(v -> v.indexOf('*') >= 0);
    }

    /** Whether the selection is {@code max_pt()} or {@code max_pt_with_done()}. */
    public boolean isDynamicMaxPt() {
        return kind != Kind.SPECS;
    }

    /**
     * The partition values of a {@linkplain #isStatic() static} pattern, ordered and spelled as the
     * table's partition keys. Keys the pattern omits are absent (a sink takes them from the rows).
     *
     * @throws IllegalStateException if the pattern is not static
     * @throws ValidationException if the pattern names a key the table does not have
     */
    public Map<String, String> staticPartition(List<String> partitionKeys) {
        if (!isStatic()) {
            throw new IllegalStateException("Partition pattern '" + this + "' is not static.");
        }
        Map<String, String> byTableKey = resolveKeys(alternatives.get(0), partitionKeys);
        LinkedHashMap<String, String> ordered = new LinkedHashMap<>();
        for (String key : partitionKeys) {
            if (byTableKey.containsKey(key)) {
                ordered.put(key, byTableKey.get(key));
            }
        }
        return Collections.unmodifiableMap(ordered);
    }

    /**
     * Checks the pattern's keys against the table's partition keys.
     *
     * @throws ValidationException naming the unknown key and the valid ones
     */
    public void validateKeys(List<String> partitionKeys) {
        if (kind != Kind.SPECS && partitionKeys.isEmpty()) {
            throw new ValidationException(
                    String.format(
                            "Option '%s' = '%s' needs a partitioned table, but the table has no"
                                    + " partition keys.",
                            optionKey(), this));
        }
        alternatives.forEach(alternative -> resolveKeys(alternative, partitionKeys));
    }

    /**
     * The partitions this pattern selects, in the order given.
     *
     * @param partitionSpecs the table's partitions as MaxCompute prints them ({@code ds=1/hh=2} or
     *     {@code ds='1',hh='2'})
     * @param partitionKeys the table's partition keys, in level order
     * @throws ValidationException if the pattern does not fit the table
     */
    public List<String> select(List<String> partitionSpecs, List<String> partitionKeys) {
        validateKeys(partitionKeys);
        if (kind != Kind.SPECS) {
            return selectMax(partitionSpecs, partitionKeys);
        }
        List<Map<String, String>> resolved = new ArrayList<>();
        alternatives.forEach(alternative -> resolved.add(resolveKeys(alternative, partitionKeys)));
        List<String> selected = new ArrayList<>();
        for (String spec : partitionSpecs) {
            Map<String, String> partition = PartitionValues.parseSpec(spec);
            if (resolved.stream().anyMatch(alternative -> matches(alternative, partition))) {
                selected.add(spec);
            }
        }
        return selected;
    }

    private List<String> selectMax(List<String> partitionSpecs, List<String> partitionKeys) {
        List<List<String>> partitions = new ArrayList<>();
        for (String spec : partitionSpecs) {
            Map<String, String> parsed = PartitionValues.parseSpec(spec);
            List<String> values = new ArrayList<>();
            for (String key : partitionKeys) {
                String v = PartitionValues.get(parsed, key);
                values.add(v == null ? "" : v);
            }
            partitions.add(values);
        }
        Set<List<String>> doneMarkers = new HashSet<>();
        if (kind == Kind.MAX_PT_WITH_DONE) {
            for (List<String> values : partitions) {
                if (values.get(values.size() - 1).endsWith(DONE_SUFFIX)) {
                    doneMarkers.add(values);
                }
            }
        }
        int best = -1;
        for (int i = 0; i < partitions.size(); i++) {
            List<String> values = partitions.get(i);
            if (kind == Kind.MAX_PT_WITH_DONE && !hasDoneMarker(values, doneMarkers)) {
                continue;
            }
            if (best < 0 || compareLevels(values, partitions.get(best)) > 0) {
                best = i;
            }
        }
        return best < 0 ? List.of() : List.of(partitionSpecs.get(best));
    }

    private static boolean hasDoneMarker(List<String> values, Set<List<String>> doneMarkers) {
        int last = values.size() - 1;
        if (values.get(last).endsWith(DONE_SUFFIX)) {
            return false;
        }
        List<String> marker = new ArrayList<>(values);
        marker.set(last, values.get(last) + DONE_SUFFIX);
        return doneMarkers.contains(marker);
    }

    private static int compareLevels(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = PartitionValues.compareStrings(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static boolean matches(Map<String, String> alternative, Map<String, String> partition) {
        for (Map.Entry<String, String> level : alternative.entrySet()) {
            String value = PartitionValues.get(partition, level.getKey());
            if (value == null || !globMatches(level.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} matches {@code glob}, in which '*' stands for any characters. */
    static boolean globMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = t;
            } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
                g++;
                t++;
            } else if (star >= 0) {
                g = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    /** The alternative with its keys spelled as the table's partition keys. */
    private Map<String, String> resolveKeys(
            Map<String, String> alternative, List<String> partitionKeys) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, String> level : alternative.entrySet()) {
            String tableKey =
                    partitionKeys.stream()
                            .filter(key -> key.equalsIgnoreCase(level.getKey()))
                            .findFirst()
                            .orElseThrow(() -> unknownKey(level.getKey(), partitionKeys));
            resolved.put(tableKey, level.getValue());
        }
        return resolved;
    }

    private ValidationException unknownKey(String key, List<String> partitionKeys) {
        return new ValidationException(
                String.format(
                        "Option '%s' = '%s' names partition key '%s', but %s.",
                        optionKey(),
                        this,
                        key,
                        partitionKeys.isEmpty()
                                ? "the table is not partitioned"
                                : "the table's partition keys are " + partitionKeys));
    }

    private static ValidationException invalid(String value, String reason) {
        return new ValidationException(
                String.format(
                        "Invalid value '%s' for option '%s': %s. %s",
                        value, optionKey(), reason, ACCEPTED_FORMS));
    }

    private static String optionKey() {
        return OdpsConnectorOptions.PARTITION.key();
    }

    /** The canonical form: alternatives joined by ';', levels by ','. */
    @Override
    public String toString() {
        if (kind == Kind.MAX_PT) {
            return MAX_PT;
        }
        if (kind == Kind.MAX_PT_WITH_DONE) {
            return MAX_PT_WITH_DONE;
        }
        return alternatives.stream()
                .map(
                        alternative ->
                                alternative.entrySet().stream()
                                        .map(e -> e.getKey() + "=" + e.getValue())
                                        .collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionSpecPattern
                && kind == ((PartitionSpecPattern) o).kind
                && alternatives.equals(((PartitionSpecPattern) o).alternatives);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, alternatives);
    }
}
