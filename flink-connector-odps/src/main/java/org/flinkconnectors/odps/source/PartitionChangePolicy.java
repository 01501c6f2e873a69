package org.flinkconnectors.odps.source;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * What an unbounded {@link OdpsSource} does when a partition it already read changed other than by
 * appended rows (overwritten with fewer or more rows, truncated, merged or rewritten).
 */
@PublicEvolving
public enum PartitionChangePolicy implements DescribedEnum {
    /** Fail the job with a message naming table, partition and what changed. */
    FAIL("fail", "Fail the job with a message naming the table, the partition and what changed."),

    /**
     * Read the partition's new contents again from the first row. Rows already emitted from the
     * previous contents are not retracted, so they are emitted again where the new contents still
     * hold them.
     */
    REREAD(
            "reread",
            "Read the partition's new contents again from the first row. Rows already emitted from"
                    + " the previous contents stay emitted (at-least-once for that partition);"
                    + " splits of the previous contents not yet started are dropped.");

    private final String value;
    private final String description;

    PartitionChangePolicy(String value, String description) {
        this.value = value;
        this.description = description;
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
