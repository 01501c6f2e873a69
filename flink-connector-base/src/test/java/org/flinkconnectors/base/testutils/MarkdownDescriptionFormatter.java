package org.flinkconnectors.base.testutils;

import org.apache.flink.configuration.description.Description;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement.TextStyle;

import java.util.EnumSet;

/**
 * Renders a Flink option {@link Description} as Markdown that fits on one line of a table cell:
 * code as backticks, links as Markdown links, line breaks and list entries as {@code <br>}, and
 * angle brackets of plain text as entities.
 */
final class MarkdownDescriptionFormatter extends Formatter {

    /** The description as one line of Markdown. */
    static String toMarkdown(Description description) {
        return new MarkdownDescriptionFormatter().format(description).trim();
    }

    @Override
    protected void formatLink(StringBuilder state, String link, String description) {
        state.append('[').append(description).append("](").append(link).append(')');
    }

    @Override
    protected void formatLineBreak(StringBuilder state) {
        state.append("<br>");
    }

    @Override
    protected void formatText(
            StringBuilder state, String format, String[] elements, EnumSet<TextStyle> styles) {
        if (styles.contains(TextStyle.CODE)) {
            state.append('`').append(String.format(format, (Object[]) elements)).append('`');
        } else {
            // GitHub drops what looks like an HTML tag, e.g. '<warehouse>' in a path.
            String escaped = format.replace("<", "&lt;").replace(">", "&gt;");
            state.append(String.format(escaped, (Object[]) elements));
        }
    }

    @Override
    protected void formatList(StringBuilder state, String[] entries) {
        for (String entry : entries) {
            state.append("<br>• ").append(entry);
        }
    }

    @Override
    protected Formatter newInstance() {
        return new MarkdownDescriptionFormatter();
    }
}
