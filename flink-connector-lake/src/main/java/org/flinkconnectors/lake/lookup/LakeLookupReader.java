package org.flinkconnectors.lake.lookup;

import org.flinkconnectors.lake.core.LakeCommit;
import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakePredicate;
import org.flinkconnectors.lake.core.LakeReaderFactory;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads a lake table for a lookup join: a whole version into an index, the commits after the cached
 * version into the same index, or the files that can hold one key.
 */
@Internal
public final class LakeLookupReader implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LakeTableLoader loader;
    private final LakeScanSpec spec;

    /** The spec of refreshes: the changes of each commit where the format can tell them. */
    private final LakeScanSpec refreshSpec;

    /** Only the newest partition is held; its splits are told by their routing keys. */
    private final boolean newestPartitionOnly;

    private final LakeScanSpec loadSpec;

    /**
     * @param spec the columns the join reads, in the produced row's order, the pushed filters and
     *     the version: the latest, or a fixed one the lookup never moves from
     * @param readChanges whether the format can tell the rows each commit deleted and inserted, so
     *     that updates and deletes are applied too instead of loading the table again
     */
    public LakeLookupReader(LakeTableLoader loader, LakeScanSpec spec, boolean readChanges) {
        this(loader, spec, readChanges, false);
    }

    /**
     * @param newestPartitionOnly hold only the partition with the greatest partition path (as
     *     MaxCompute's {@code max_pt()}: by string order); needs {@code readChanges}, whose splits
     *     name their partition
     */
    public LakeLookupReader(
            LakeTableLoader loader,
            LakeScanSpec spec,
            boolean readChanges,
            boolean newestPartitionOnly) {
        if (newestPartitionOnly && !readChanges) {
            throw new IllegalArgumentException(
                    "Holding the newest partition only needs a format that reads changes.");
        }
        this.loader = loader;
        this.spec = spec;
        this.refreshSpec = specWith(spec, List.of(), readChanges);
        this.newestPartitionOnly = newestPartitionOnly;
        this.loadSpec = newestPartitionOnly ? refreshSpec : spec;
    }

    private static LakeScanSpec specWith(
            LakeScanSpec spec, List<LakePredicate> moreFilters, boolean changelog) {
        LakeScanSpec.Builder builder =
                LakeScanSpec.builder()
                        .version(spec.version())
                        .project(spec.projectedFields())
                        .splitSizeBytes(spec.splitSizeBytes())
                        .changelog(changelog);
        spec.filters().forEach(builder::filter);
        moreFilters.forEach(builder::filter);
        return builder.build();
    }

    public String tableName() {
        return loader.describe();
    }

    /**
     * Reads the spec's version into the index.
     *
     * @return the version read, or empty if the table has no version yet
     */
    public OptionalLong load(LakeLookupIndex index) throws IOException {
        try (LakeTable table = loader.load()) {
            OptionalLong version = table.resolveVersion(spec.version());
            if (version.isPresent()) {
                List<LakeSplit> splits = table.planSplits(version.getAsLong(), loadSpec);
                if (newestPartitionOnly) {
                    String newest =
                            splits.stream()
                                    .map(split -> split.routingKey().orElse(""))
                                    .max(String::compareTo)
                                    .orElse(null);
                    index.holdPartition(newest);
                    splits = inPartition(splits, newest);
                }
                readWith(table.createReaderFactory(version, loadSpec), splits, index::add);
            }
            return version;
        }
    }

    private static List<LakeSplit> inPartition(List<LakeSplit> splits, @Nullable String partition) {
        return splits.stream()
                .filter(split -> split.routingKey().orElse("").equals(partition))
                .toList();
    }

    /**
     * Plans the commits after {@code version} (all of them if empty): their increments if every one
     * can be applied to a cached copy, or empty if the table must be loaded again (a commit that
     * rewrote rows, or a history that no longer reaches back to {@code version}).
     */
    public Refresh planRefresh(OptionalLong version) throws IOException {
        return planRefresh(version, null);
    }

    /**
     * As {@link #planRefresh(OptionalLong)} for an index that holds one partition only: a commit
     * that writes a newer partition asks for a reload, changes of other partitions are left out.
     */
    public Refresh planRefresh(OptionalLong version, @Nullable String heldPartition)
            throws IOException {
        try (LakeTable table = loader.load()) {
            List<LakeCommit> commits;
            try {
                commits = table.commitsAfter(version);
            } catch (IllegalStateException historyGone) {
                return Refresh.reload(historyGone.getMessage());
            }
            List<LakeIncrement> increments = new ArrayList<>();
            for (LakeCommit commit : commits) {
                LakeIncrement increment = table.planIncrement(commit.version(), refreshSpec);
                if (increment.kind() == LakeIncrement.Kind.REWRITE) {
                    return Refresh.reload(
                            String.format(
                                    "version %d (%s) %s",
                                    increment.version(),
                                    increment.operation(),
                                    increment.changes()));
                }
                if (newestPartitionOnly) {
                    Optional<String> newer = newerPartition(increment, heldPartition);
                    if (newer.isPresent()) {
                        return Refresh.reload(
                                "version "
                                        + increment.version()
                                        + " wrote the newer partition "
                                        + newer.get());
                    }
                    increment = onlyIn(increment, heldPartition);
                }
                increments.add(increment);
            }
            return cheaperOfTheTwo(table, increments);
        }
    }

    private static Optional<String> newerPartition(
            LakeIncrement increment, @Nullable String heldPartition) {
        return increment.splits().stream()
                .map(split -> split.routingKey().orElse(""))
                .filter(key -> heldPartition == null || key.compareTo(heldPartition) > 0)
                .max(String::compareTo);
    }

    private static LakeIncrement onlyIn(LakeIncrement increment, @Nullable String partition) {
        return new LakeIncrement(
                increment.version(),
                increment.kind(),
                increment.operation(),
                inPartition(increment.splits(), partition),
                increment.changes());
    }

    /**
     * The increments, unless reading them would read more files than loading the latest version
     * whole: changes that touch most files (deletes scattered over the table, or many commits) cost
     * a full read of each file they touch.
     */
    private Refresh cheaperOfTheTwo(LakeTable table, List<LakeIncrement> increments)
            throws IOException {
        int changeSplits = increments.stream().mapToInt(i -> i.splits().size()).sum();
        boolean rewrites =
                increments.stream().anyMatch(i -> i.kind() == LakeIncrement.Kind.CHANGES);
        if (!rewrites || changeSplits == 0) {
            return Refresh.apply(increments);
        }
        long latest = increments.get(increments.size() - 1).version();
        int loadSplits = table.planSplits(latest, loadSpec).size();
        if (changeSplits >= loadSplits) {
            return Refresh.reload(
                    String.format(
                            "the changes up to version %d would read %d files, a full load %d",
                            latest, changeSplits, loadSplits));
        }
        return Refresh.apply(increments);
    }

    /**
     * Applies planned increments to the index: appended and inserted rows are added, deleted rows
     * removed.
     *
     * @return the rows applied
     */
    public long apply(List<LakeIncrement> increments, LakeLookupIndex index) throws IOException {
        if (increments.isEmpty()) {
            return 0;
        }
        long last = increments.get(increments.size() - 1).version();
        long[] applied = new long[1];
        try (LakeTable table = loader.load()) {
            for (LakeIncrement increment : increments) {
                readWith(
                        table.createReaderFactory(OptionalLong.of(last), refreshSpec),
                        increment.splits(),
                        row -> {
                            if (row.getRowKind() == RowKind.DELETE) {
                                index.remove(row);
                            } else {
                                index.add(row);
                            }
                            applied[0]++;
                        });
            }
        }
        return applied[0];
    }

    /**
     * Reads the rows of the spec's version in the files that can hold the key the filters name
     * (formats may also drop rows that cannot match).
     *
     * @return the splits read
     */
    public List<LakeSplit> scan(List<LakePredicate> keyFilters, Consumer<RowData> rows)
            throws IOException {
        LakeScanSpec keySpec = specWith(spec, keyFilters, false);
        try (LakeTable table = loader.load()) {
            OptionalLong version = table.resolveVersion(keySpec.version());
            if (version.isEmpty()) {
                return List.of();
            }
            List<LakeSplit> splits = table.planSplits(version.getAsLong(), keySpec);
            readWith(table.createReaderFactory(version, keySpec), splits, rows);
            return splits;
        }
    }

    private static void readWith(
            LakeReaderFactory readers, List<LakeSplit> splits, Consumer<RowData> rows)
            throws IOException {
        for (LakeSplit split : splits) {
            try (CloseableIterator<RowData> it = readers.open(split)) {
                it.forEachRemaining(rows);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("Could not read " + split.path() + ": " + e.getMessage(), e);
            }
        }
    }

    /** What a refresh does: apply these increments, or load the table again and why. */
    public record Refresh(List<LakeIncrement> increments, String reloadReason) {

        static Refresh apply(List<LakeIncrement> increments) {
            return new Refresh(List.copyOf(increments), null);
        }

        static Refresh reload(String reason) {
            return new Refresh(List.of(), reason);
        }

        public boolean needsReload() {
            return reloadReason != null;
        }

        public int files() {
            return increments.stream().mapToInt(i -> i.splits().size()).sum();
        }
    }
}
