package org.flinkconnectors.lake.source;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a streaming read tails a table: where it starts, how often it looks for new commits ({@code
 * scan.commit-discovery.interval}) and what it does with commits that rewrite rows ({@code
 * scan.on-rewrite}) and how many planned splits may wait for readers before it stops looking
 * ({@code scan.max-pending-splits}). Set through {@link LakeSourceBuilder#streaming}.
 *
 * @param start where the read starts
 * @param monitorInterval the time between two looks for new commits
 * @param onRewrite what to do with a commit that deletes or rewrites rows
 * @param maxPendingSplits while this many splits wait for a reader, no new commits are planned
 * @param changeRouting which reader reads which changes, for a changelog read
 * @param stopAfterVersion the last version to read, which makes the read bounded; null to follow
 *     the table for ever
 */
@Internal
public record LakeStreamingSpec(
        LakeStartingPosition start,
        Duration monitorInterval,
        LakeRewritePolicy onRewrite,
        int maxPendingSplits,
        LakeChangeRouting changeRouting,
        @Nullable Long stopAfterVersion)
        implements Serializable {

    /** Looks for new commits every ten seconds unless told otherwise. */
    public static final Duration DEFAULT_MONITOR_INTERVAL = Duration.ofSeconds(10);

    /**
     * Splits are small (a file path and a range), so ten thousand of them hold the enumerator's
     * memory and checkpoint to a few megabytes while readers catch up.
     */
    public static final int DEFAULT_MAX_PENDING_SPLITS = 10_000;

    public LakeStreamingSpec(
            LakeStartingPosition start, Duration monitorInterval, LakeRewritePolicy onRewrite) {
        this(start, monitorInterval, onRewrite, DEFAULT_MAX_PENDING_SPLITS);
    }

    public LakeStreamingSpec(
            LakeStartingPosition start,
            Duration monitorInterval,
            LakeRewritePolicy onRewrite,
            int maxPendingSplits) {
        this(
                start,
                monitorInterval,
                onRewrite,
                maxPendingSplits,
                LakeChangeRouting.ONE_READER,
                null);
    }

    public LakeStreamingSpec {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(onRewrite, "onRewrite");
        Objects.requireNonNull(changeRouting, "changeRouting");
        if (monitorInterval == null || monitorInterval.isNegative() || monitorInterval.isZero()) {
            throw new IllegalArgumentException(
                    "The monitor interval must be positive, got " + monitorInterval);
        }
        if (maxPendingSplits < 1) {
            throw new IllegalArgumentException(
                    "The maximum of pending splits must be positive, got " + maxPendingSplits);
        }
    }
}
