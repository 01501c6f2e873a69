package org.flinkconnectors.lake.source.enumerator;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeVersionSelector;
import org.flinkconnectors.lake.source.enumerator.LakeStreamPlanner.UnreadableHistoryException;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeCasts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.List;
import java.util.OptionalLong;

/**
 * Checks that a streaming read can read the files of a later version with the columns it started
 * with. Columns are matched by the identity their files store them under (Iceberg field ids, Delta
 * physical names), so:
 *
 * <ul>
 *   <li>a column added to the table is not read: the job emits the rows it started with;
 *   <li>a renamed column is still read (by its identity) and emitted under the job's name;
 *   <li>a column the job reads that the version no longer has (dropped), or has with another type
 *       than the job's, fails the read for good: its files would give nulls or wrong values, and a
 *       restart would meet the same version.
 * </ul>
 *
 * <p>Checks run in the enumerator's worker thread. A version older than the job's schema may lack a
 * column added since (its files read as null) or have it narrower (an int widened to a long since);
 * both read right and pass.
 */
@Internal
final class LakeStreamSchemaCheck {

    private static final Logger LOG = LoggerFactory.getLogger(LakeStreamSchemaCheck.class);

    private final LakeReadSchema job;
    private final String tableName;

    LakeStreamSchemaCheck(LakeReadSchema job, String tableName) {
        this.job = job;
        this.tableName = tableName;
    }

    /** Fails with an {@link UnreadableHistoryException} if the version's files read wrong. */
    void check(LakeTable table, long version) {
        LakeScanSpec wholeVersion =
                LakeScanSpec.builder().version(LakeVersionSelector.version(version)).build();
        RowType now = table.producedType(OptionalLong.of(version), wholeVersion);
        List<String> nowIds = table.columnIds(OptionalLong.of(version), wholeVersion);
        List<String> latestIds = null;
        for (int i = 0; i < job.columnIds().size(); i++) {
            String name = job.type().getFieldNames().get(i);
            LogicalType read = job.type().getTypeAt(i);
            int at = nowIds.indexOf(job.columnIds().get(i));
            if (at < 0) {
                if (latestIds == null) {
                    latestIds = table.columnIds(OptionalLong.empty(), LakeScanSpec.latest());
                }
                if (!latestIds.contains(job.columnIds().get(i))) {
                    throw changed(version, name, "no longer has it (it was dropped)");
                }
                // Added after this version: its files do not have it and read as null.
                continue;
            }
            LogicalType stored = now.getTypeAt(at);
            if (!readsAs(stored, read)) {
                throw changed(
                        version,
                        name,
                        String.format("changed its type from %s to %s", read, stored));
            }
            String nowName = now.getFieldNames().get(at);
            if (!nowName.equals(name)) {
                LOG.debug(
                        "Version {} of {} names the column '{}' '{}'; still read as '{}'.",
                        version,
                        tableName,
                        name,
                        nowName,
                        name);
            }
        }
    }

    /** The same type, or one the job's widens (files written before the widening). */
    private static boolean readsAs(LogicalType stored, LogicalType read) {
        LogicalType storedNullable = stored.copy(true);
        LogicalType readNullable = read.copy(true);
        return storedNullable.equals(readNullable)
                || LogicalTypeCasts.supportsImplicitCast(storedNullable, readNullable);
    }

    private UnreadableHistoryException changed(long version, String column, String how) {
        return new UnreadableHistoryException(
                String.format(
                        "Version %d of %s changed the schema of the column '%s' this job reads:"
                                + " the version %s. A running job reads with the schema it"
                                + " started with, so it cannot read this version's files."
                                + " Restart the job from its last checkpoint or savepoint, so"
                                + " it reads with the table's new schema from where it stopped"
                                + " (if the column was dropped, stop reading it first).",
                        version, tableName, column, how),
                null);
    }

    @Nullable
    static LakeStreamSchemaCheck of(@Nullable LakeReadSchema job, String tableName) {
        return job == null ? null : new LakeStreamSchemaCheck(job, tableName);
    }
}
