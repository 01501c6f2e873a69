package org.flinkconnectors.streams.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * What the exactly-once sink does when a Kafka transaction is gone before the committer could
 * commit it (the broker aborted it after {@code transaction.timeout.ms}, or another producer fenced
 * it): the records of that checkpoint are lost either way; this only decides whether the job stops.
 */
@PublicEvolving
public enum OnLostTransaction implements DescribedEnum {
    FAIL(
            "fail",
            "Fail the job with an error naming the transaction and checkpoint. A restart fails"
                    + " again on the same checkpoint until the user accepts the loss (option"
                    + " 'log') or restores from a later checkpoint."),
    LOG(
            "log",
            "Log an ERROR naming the transaction and checkpoint, count it in the committer's"
                    + " 'numLostTransactions' metric, and go on.");

    private final String value;
    private final String description;

    OnLostTransaction(String value, String description) {
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
