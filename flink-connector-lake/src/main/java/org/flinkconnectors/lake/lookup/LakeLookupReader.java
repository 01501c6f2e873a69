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

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * @param spec the columns the join reads, in the produced row's order, the pushed filters and
     *     the version: the latest, or a fixed one the lookup never moves from
     * @param readChanges whether the format can tell the rows each commit deleted and inserted, so
     *     that updates and deletes are applied too instead of loading the table again
     */
    public LakeLookupReader(LakeTableLoader loader, LakeScanSpec spec, boolean readChanges) {
        this.loader = loader;
        this.spec = spec;
        this.refreshSpec = specWith(spec, List.of(), readChanges);
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
                readWith(
                        table.createReaderFactory(version, spec),
                        table.planSplits(version.getAsLong(), spec),
                        index::add);
            }
            return version;
        }
    }

    /**
     * Plans the commits after {@code version} (all of them if empty): their increments if every one
     * can be applied to a cached copy, or empty if the table must be loaded again (a commit that
     * rewrote rows, or a history that no longer reaches back to {@code version}).
     */
    public Refresh planRefresh(OptionalLong version) throws IOException {
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
                increments.add(increment);
            }
            return Refresh.apply(increments);
        }
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
