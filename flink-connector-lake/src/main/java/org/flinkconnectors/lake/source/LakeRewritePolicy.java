package org.flinkconnectors.lake.source;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * What a streaming read does with a commit that deletes, replaces or updates rows, which a stream
 * of appended rows cannot express (the option {@code scan.on-rewrite}). Neither choice emits a row
 * a second time; {@link #SKIP} leaves out what such a commit adds, and says so.
 */
@PublicEvolving
public enum LakeRewritePolicy implements DescribedEnum {
    FAIL(
            "Fail the job with a message naming the version and its operation; restart it from"
                    + " a later version or with 'skip'."),
    SKIP(
            "Pass over the version and go on with the next ones: the rows it adds (an overwrite's"
                    + " or a merge's new rows too) are not emitted, the rows it removes or changes"
                    + " stay emitted. Each skipped version is logged at WARN with the files and"
                    + " rows it added and removed, and counted in the enumerator's"
                    + " 'skippedRewrites' metric.");

    private final String description;

    LakeRewritePolicy(String description) {
        this.description = description;
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
