package org.flinkconnectors.e2e.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .sql} file as the SQL client reads it: statements end with {@code ;}, {@code --}
 * comments run to the end of the line; quoted strings, quoted identifiers and block comments (so
 * also hints) are kept as they are. {@code ${name}} placeholders are replaced.
 */
final class SqlScript {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private SqlScript() {}

    /** The statements of {@code script}, without comments and the closing {@code ;}. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                int end = script.indexOf(c, i + 1);
                // A doubled quote inside a string is the quote character itself.
                while (end >= 0 && end + 1 < script.length() && script.charAt(end + 1) == c) {
                    end = script.indexOf(c, end + 2);
                }
                end = end < 0 ? script.length() : end + 1;
                current.append(script, i, end);
                i = end;
            } else if (script.startsWith("/*", i)) {
                int end = script.indexOf("*/", i + 2);
                end = end < 0 ? script.length() : end + 2;
                current.append(script, i, end);
                i = end;
            } else if (script.startsWith("--", i)) {
                int end = script.indexOf('\n', i);
                i = end < 0 ? script.length() : end;
            } else if (c == ';') {
                add(statements, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder statement) {
        String trimmed = statement.toString().strip();
        if (!trimmed.isEmpty()) {
            statements.add(trimmed);
        }
        statement.setLength(0);
    }

    /**
     * Replaces every {@code ${name}} by its value.
     *
     * @throws IllegalArgumentException naming a placeholder that has no value
     */
    static String substitute(String statement, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(statement);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException(
                        "No value for ${"
                                + matcher.group(1)
                                + "}; the runner knows "
                                + values.keySet()
                                + ". Statement: "
                                + statement);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
