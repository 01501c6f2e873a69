package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeCommit;
import org.flinkconnectors.lake.core.LakeIncrement;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.source.LakeRewritePolicy;
import org.flinkconnectors.lake.source.LakeStreamingSpec;

import org.apache.flink.annotation.Internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One look at a table's history for a streaming read, run in the enumerator's worker thread: from a
 * position (started or not, and the last version whose rows were enumerated) to the next one, with
 * the splits of the rows appended in between.
 *
 * <p>It is a function of the position it is given and keeps no state of its own, so a discovery
 * that raced with an older one can simply be dropped by the enumerator, and a restored job
 * discovers again from its checkpointed position. Each version's increment is judged on its own:
 * appends contribute their files, commits that changed no rows are passed over, and commits that
 * deleted or rewrote rows fail the read or are passed over, as {@link LakeRewritePolicy} says.
 * Appended files are read with the job's columns only if their version's schema allows ({@link
 * LakeStreamSchemaCheck}); otherwise the read fails for good.
 */
@Internal
final class LakeStreamPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(LakeStreamPlanner.class);

    /** Bounds the work (and the splits added to the checkpoint) of one look at a long backlog. */
    static final int MAX_VERSIONS_PER_DISCOVERY = 100;

    private final LakeTableLoader tableLoader;
    private final LakeScanSpec spec;
    private final LakeStreamingSpec streaming;

    /** Null: versions are read without checking their schema (a source built without one). */
    @Nullable private final LakeStreamSchemaCheck schemaCheck;

    LakeStreamPlanner(
            LakeTableLoader tableLoader,
            LakeScanSpec spec,
            LakeStreamingSpec streaming,
            @Nullable LakeReadSchema readSchema) {
        this.tableLoader = tableLoader;
        this.spec = spec;
        this.streaming = streaming;
        this.schemaCheck = LakeStreamSchemaCheck.of(readSchema, tableLoader.describe());
    }

    /**
     * Where a streaming read stands: whether its starting position was resolved, and the last
     * version whose rows were enumerated (null: none, every version in the history is still to be
     * read).
     */
    record Position(boolean started, @Nullable Long cursor) {}

    /**
     * The outcome of one look: the position it started from and reached, the new splits, how many
     * known commits past the reached position are left for the next look, and the rewriting commits
     * it passed over ({@code scan.on-rewrite} = {@code skip}), which the enumerator reports once it
     * takes the discovery over.
     */
    record Discovery(
            Position from,
            Position to,
            List<LakeSplit> splits,
            int pendingCommits,
            List<LakeIncrement> skippedRewrites) {

        Discovery(Position from, Position to, List<LakeSplit> splits) {
            this(from, to, splits, 0, List.of());
        }
    }

    /** A problem that looking again, or restarting the job, would only meet again. */
    static final class UnreadableHistoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableHistoryException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Looks past {@code from} for new commits, taking whole commits until their splits reach {@code
     * splitBudget} (at least one commit, so a large one cannot stall the read).
     */
    Discovery discover(Position from, int splitBudget) throws IOException {
        if (reachedStop(from)) {
            return new Discovery(from, from, List.of());
        }
        try (LakeTable table = tableLoader.load()) {
            if (!from.started()) {
                return start(table, from, splitBudget);
            }
            OptionalLong cursor =
                    from.cursor() == null ? OptionalLong.empty() : OptionalLong.of(from.cursor());
            return readIncrements(table, from, versions(commitsAfter(table, cursor)), splitBudget);
        }
    }

    private Discovery start(LakeTable table, Position from, int splitBudget) throws IOException {
        switch (streaming.start().kind()) {
            case LATEST:
                return new Discovery(from, startedAt(latest(table)), List.of());
            case EARLIEST:
                OptionalLong current = latest(table);
                if (current.isPresent()) {
                    checkSchema(table, current.getAsLong());
                }
                List<LakeSplit> splits =
                        current.isEmpty() ? List.of() : table.planSplits(current.getAsLong(), spec);
                LOG.info(
                        "Streaming read of {} starts with version {} in full: {} split(s).",
                        tableLoader.describe(),
                        current,
                        splits.size());
                return new Discovery(from, startedAt(current), splits);
            case VERSION:
                return readIncrements(
                        table, from, List.of(streaming.start().version()), splitBudget);
            default:
                long since = streaming.start().timestampMillis();
                List<LakeCommit> later =
                        commitsAfter(table, OptionalLong.empty()).stream()
                                .filter(commit -> commit.timestampMillis() >= since)
                                .toList();
                if (later.isEmpty()) {
                    LOG.info(
                            "{} has no commit {} yet; looking again later.",
                            tableLoader.describe(),
                            streaming.start());
                    return new Discovery(from, from, List.of());
                }
                return readIncrements(table, from, versions(later), splitBudget);
        }
    }

    /** Whether a read with a stop version has planned it. */
    boolean reachedStop(Position position) {
        Long stop = streaming.stopAfterVersion();
        return stop != null && position.started() && stop.equals(position.cursor());
    }

    private Discovery readIncrements(
            LakeTable table, Position from, List<Long> versions, int splitBudget)
            throws IOException {
        Long stop = streaming.stopAfterVersion();
        if (stop != null && versions.contains(stop)) {
            versions = versions.subList(0, versions.indexOf(stop) + 1);
        }
        List<LakeSplit> splits = new ArrayList<>();
        List<LakeIncrement> skipped = new ArrayList<>();
        Long cursor = from.cursor();
        int limit = Math.min(versions.size(), MAX_VERSIONS_PER_DISCOVERY);
        int taken = 0;
        while (taken < limit && (taken == 0 || splits.size() < splitBudget)) {
            long version = versions.get(taken++);
            LakeIncrement increment = table.planIncrement(version, spec);
            switch (increment.kind()) {
                case APPEND:
                case CHANGES:
                    checkSchema(table, version);
                    splits.addAll(increment.splits());
                    LOG.info(
                            "Version {} of {} ({}) planned as {} split(s) of {}.",
                            version,
                            tableLoader.describe(),
                            increment.operation(),
                            increment.splits().size(),
                            increment.kind() == LakeIncrement.Kind.APPEND
                                    ? "appended rows"
                                    : "changes, deletes first");
                    break;
                case NO_DATA_CHANGE:
                    LOG.info(
                            "Version {} of {} ({}) changed no rows; nothing to read.",
                            version,
                            tableLoader.describe(),
                            increment.operation());
                    break;
                default:
                    failUnlessSkipped(increment);
                    skipped.add(increment);
            }
            cursor = version;
        }
        return new Discovery(
                from, new Position(true, cursor), splits, versions.size() - taken, skipped);
    }

    private void checkSchema(LakeTable table, long version) {
        if (schemaCheck != null) {
            schemaCheck.check(table, version);
        }
    }

    private void failUnlessSkipped(LakeIncrement increment) {
        if (streaming.onRewrite() == LakeRewritePolicy.FAIL) {
            throw new UnreadableHistoryException(
                    describeRewrite(increment, tableLoader.describe())
                            + ". Restart the read from a later version, or set 'scan.on-rewrite'"
                            + " to 'skip' to pass over such commits (the rows they add are then"
                            + " not emitted).",
                    null);
        }
    }

    /** What a rewriting commit is and did, for the failure and for the log line of a skip. */
    static String describeRewrite(LakeIncrement increment, String table) {
        return String.format(
                "Version %d of %s is a '%s' commit that deletes or rewrites rows, which a"
                        + " streaming read of appended rows cannot express: it %s",
                increment.version(), table, increment.operation(), increment.changes());
    }

    private List<LakeCommit> commitsAfter(LakeTable table, OptionalLong cursor) throws IOException {
        try {
            return table.commitsAfter(cursor);
        } catch (IllegalStateException e) {
            throw new UnreadableHistoryException(e.getMessage(), e);
        }
    }

    private static OptionalLong latest(LakeTable table) {
        return table.resolveVersion(LakeVersionSelector.latest());
    }

    private static Position startedAt(OptionalLong version) {
        return new Position(true, version.isEmpty() ? null : version.getAsLong());
    }

    private static List<Long> versions(List<LakeCommit> commits) {
        return commits.stream().map(LakeCommit::version).toList();
    }
}
