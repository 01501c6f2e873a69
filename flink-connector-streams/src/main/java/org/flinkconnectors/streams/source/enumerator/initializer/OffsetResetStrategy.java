package org.flinkconnectors.streams.source.enumerator.initializer;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Where to start a partition that has no usable offset (no committed offset, or not listed in a map
 * of specific offsets). The names match Kafka's {@code auto.offset.reset} values, which is how the
 * reader's consumer is configured as well.
 */
@PublicEvolving
public enum OffsetResetStrategy {
    /** Start from the earliest offset still in the log. */
    EARLIEST("earliest"),
    /** Start from the end of the log: only records written from now on are read. */
    LATEST("latest"),
    /** Fail: the user asked for a defined position and there is none. */
    NONE("none");

    private final String kafkaValue;

    OffsetResetStrategy(String kafkaValue) {
        this.kafkaValue = kafkaValue;
    }

    /** The value of Kafka's {@code auto.offset.reset} with the same meaning. */
    public String kafkaValue() {
        return kafkaValue;
    }
}
