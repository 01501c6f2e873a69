package org.flinkconnectors.lake.source;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a streaming read tails a table: where it starts, how often it looks for new commits ({@code
 * scan.monitor-interval}) and what it does with commits that rewrite rows ({@code
 * scan.on-rewrite}). Set through {@link LakeSourceBuilder#streaming}.
 *
 * @param start where the read starts
 * @param monitorInterval the time between two looks for new commits
 * @param onRewrite what to do with a commit that deletes or rewrites rows
 */
@Internal
public record LakeStreamingSpec(
        LakeStartingPosition start, Duration monitorInterval, LakeRewritePolicy onRewrite)
        implements Serializable {

    /** Looks for new commits every ten seconds unless told otherwise. */
    public static final Duration DEFAULT_MONITOR_INTERVAL = Duration.ofSeconds(10);

    public LakeStreamingSpec {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(onRewrite, "onRewrite");
        if (monitorInterval == null || monitorInterval.isNegative() || monitorInterval.isZero()) {
            throw new IllegalArgumentException(
                    "The monitor interval must be positive, got " + monitorInterval);
        }
    }
}
