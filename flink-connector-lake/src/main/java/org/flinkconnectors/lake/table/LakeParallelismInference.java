package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * The parallelism of a bounded SQL scan: the user's {@code 'scan.parallelism'} if set, otherwise
 * (in batch execution mode, with {@code 'scan.infer-parallelism'}) the number of splits the scan
 * plans, between 1 and {@code 'scan.infer-parallelism.max'} and at most the pushed-down limit, as
 * Iceberg's own connector infers it. More readers than splits would idle.
 *
 * <p>The scan is planned here, on the client, only to count its splits; the enumerator plans again
 * when the job starts, since the job reads the table as it is then. Streaming reads, and bounded
 * reads in streaming execution mode (where every reader holds a slot for the whole job), keep
 * Flink's parallelism.
 */
@Internal
final class LakeParallelismInference {

    private static final Logger LOG = LoggerFactory.getLogger(LakeParallelismInference.class);

    private LakeParallelismInference() {}

    /** The source parallelism, or null to leave it to Flink. */
    @Nullable
    static Integer parallelism(
            LakeTableSettings settings,
            LakeScanSpec spec,
            boolean batchExecution,
            @Nullable Long limit) {
        if (settings.parallelism != null) {
            return settings.parallelism;
        }
        if (!settings.inferParallelism || settings.start != null || !batchExecution) {
            return null;
        }
        long splits = plannedSplits(settings, spec);
        long parallelism = Math.min(splits, settings.inferParallelismMax);
        if (limit != null) {
            parallelism = Math.min(parallelism, limit);
        }
        parallelism = Math.max(1, parallelism);
        LOG.info(
                "Reading {} with parallelism {}: {} planned split(s), at most {}{}.",
                settings.loader.describe(),
                parallelism,
                splits,
                settings.inferParallelismMax,
                limit == null ? "" : ", limit " + limit);
        return (int) parallelism;
    }

    private static long plannedSplits(LakeTableSettings settings, LakeScanSpec spec) {
        try (LakeTable table = settings.loader.load()) {
            OptionalLong version = table.resolveVersion(spec.version());
            return version.isEmpty() ? 0 : table.planSplits(version.getAsLong(), spec).size();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not plan " + settings.loader.describe() + " to infer its parallelism",
                    e);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    "Cannot read " + settings.loader.describe() + ": " + e.getMessage(), e);
        }
    }
}
