package org.flinkconnectors.lake.source;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * What a streaming read does with a commit that deletes, replaces or updates rows, which a stream
 * of appended rows cannot express (the option {@code scan.on-rewrite}). Neither choice emits a row
 * a second time.
 */
@PublicEvolving
public enum LakeRewritePolicy implements DescribedEnum {
    FAIL(
            "Fail the job with a message naming the version and its operation; restart it from"
                    + " a later version or with 'skip'."),
    SKIP("Log the version and go on with the next ones; rows it removed or changed stay emitted.");

    private final String description;

    LakeRewritePolicy(String description) {
        this.description = description;
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
