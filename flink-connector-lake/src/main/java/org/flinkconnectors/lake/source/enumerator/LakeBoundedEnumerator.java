package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.source.LakeChangeRouting;
import org.flinkconnectors.lake.source.enumerator.LakeStreamPlanner.Position;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.List;
import java.util.OptionalLong;

/**
 * A bounded read: resolves the version to read when the job starts, plans its files into splits
 * once, and tells readers that ask after the last split that no more will come. Resolving here
 * rather than when the source is built means a job reads the table as it is when it runs, not when
 * its graph was built. A restored enumerator that already planned does not plan again: the splits
 * it gave out live in the readers' state, the rest in its own.
 */
@Internal
public final class LakeBoundedEnumerator extends LakeSourceEnumerator {

    private static final Logger LOG = LoggerFactory.getLogger(LakeBoundedEnumerator.class);

    private final LakeScanSpec spec;

    public LakeBoundedEnumerator(
            SplitEnumeratorContext<LakeSplit> context,
            LakeTableLoader tableLoader,
            LakeScanSpec spec,
            LakeEnumState state) {
        super(context, tableLoader, state, LakeChangeRouting.ONE_READER);
        this.spec = spec;
    }

    @Override
    public void start() {
        if (position.started()) {
            LOG.info(
                    "Restored the read of version {} of {}; {} split(s) are left to assign.",
                    position.cursor(),
                    tableLoader.describe(),
                    splits.unassignedCount());
        } else {
            context.callAsync(this::plan, this::onPlanned);
        }
    }

    @Override
    protected boolean noMoreSplits() {
        return position.started();
    }

    private Plan plan() throws Exception {
        try (LakeTable table = tableLoader.load()) {
            OptionalLong version = table.resolveVersion(spec.version());
            if (version.isEmpty()) {
                return new Plan(null, List.of());
            }
            LOG.info("Planning version {} of {} with {}.", version, tableLoader.describe(), spec);
            return new Plan(version.getAsLong(), table.planSplits(version.getAsLong(), spec));
        }
    }

    private void onPlanned(Plan plan, @Nullable Throwable error) {
        if (error != null) {
            throw new FlinkRuntimeException(
                    String.format(
                            "Could not plan the scan of %s: %s",
                            tableLoader.describe(), error.getMessage()),
                    error);
        }
        if (plan.version == null) {
            LOG.info("{} has no version yet; there is nothing to read.", tableLoader.describe());
        } else {
            LOG.info("Planned {} split(s) of version {}.", plan.splits.size(), plan.version);
        }
        splits.add(plan.splits);
        position = new Position(true, plan.version);
        assignPending();
    }

    /** The outcome of planning: the resolved version (null for a table without one), its splits. */
    private static final class Plan {
        @Nullable final Long version;
        final List<LakeSplit> splits;

        Plan(@Nullable Long version, List<LakeSplit> splits) {
            this.version = version;
            this.splits = splits;
        }
    }
}
