package org.flinkconnectors.base.testutils;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/**
 * The job the sink failover tests share: numbers {@code 0..records-1} at a bounded rate, through an
 * optional {@link FailOnceAfterCheckpoint}, on a checkpointing environment that restarts.
 */
public final class FailoverJobs {

    private FailoverJobs() {}

    /** A streaming environment with 300 ms checkpoints and up to 5 restarts. */
    public static StreamExecutionEnvironment environment(int parallelism) {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(parallelism);
        env.enableCheckpointing(300);
        return env;
    }

    /** 1,500 numbers a second; throws once after a checkpoint when {@code failOnce}. */
    public static DataStream<Long> numbers(
            StreamExecutionEnvironment env, int records, boolean failOnce) {
        FailOnceAfterCheckpoint.reset();
        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(
                        index -> index, records, RateLimiterStrategy.perSecond(1500), Types.LONG);
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
                .map(new FailOnceAfterCheckpoint<>(failOnce, 200));
    }
}
