package org.flinkconnectors.odps.testutils;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A tokenizer and cursor for the DDL statements the {@link OdpsTestServer} runs. */
final class SqlTokens {

    /** One token; {@code quoted} for `identifiers` and 'strings'. */
    static final class Token {
        final String text;
        final char quote;

        Token(String text, char quote) {
            this.text = text;
            this.quote = quote;
        }

        boolean is(String keyword) {
            return quote == 0 && text.equalsIgnoreCase(keyword);
        }

        @Override
        public String toString() {
            return quote == 0 ? text : quote + text + quote;
        }
    }

    private final List<Token> tokens;
    private int pos;

    SqlTokens(String sql) {
        this.tokens = tokenize(sql);
    }

    boolean atEnd() {
        return pos >= tokens.size() || (peek().is(";") && pos == tokens.size() - 1);
    }

    Token peek() {
        return pos < tokens.size() ? tokens.get(pos) : new Token("", (char) 0);
    }

    Token next() {
        if (pos >= tokens.size()) {
            throw error("Unexpected end of statement");
        }
        return tokens.get(pos++);
    }

    boolean accept(String... keywords) {
        for (int i = 0; i < keywords.length; i++) {
            if (pos + i >= tokens.size() || !tokens.get(pos + i).is(keywords[i])) {
                return false;
            }
        }
        pos += keywords.length;
        return true;
    }

    void expect(String keyword) {
        if (!accept(keyword)) {
            throw error("Expected '" + keyword + "' but found '" + peek().text + "'");
        }
    }

    /** A possibly dotted name: {@code t}, {@code p.t} or {@code p.s.t}, unquoted. */
    List<String> qualifiedName() {
        List<String> parts = new ArrayList<>();
        parts.add(next().text);
        while (accept(".")) {
            parts.add(next().text);
        }
        return parts;
    }

    /**
     * The tokens of a column type, up to a top-level ',' or ')' or a column-option keyword, joined
     * back into a type string the SDK's type parser reads.
     */
    String typeString() {
        StringBuilder type = new StringBuilder();
        int depth = 0;
        while (pos < tokens.size()) {
            Token token = peek();
            if (depth == 0
                    && (token.is(",")
                            || token.is(")")
                            || token.is("NOT")
                            || token.is("DEFAULT")
                            || token.is("COMMENT")
                            || token.is("NULL"))) {
                break;
            }
            if (token.is("<") || token.is("(")) {
                depth++;
            } else if (token.is(">") || token.is(")")) {
                depth--;
            }
            type.append(token.quote == '`' ? "`" + token.text + "`" : token.text);
            pos++;
        }
        return type.toString();
    }

    IllegalArgumentException error(String message) {
        return new IllegalArgumentException(
                "ODPS-0130161:Parse exception - " + message + " near token " + pos);
    }

    private static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '`' || c == '\'' || c == '"') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < sql.length() && sql.charAt(j) != c) {
                    if (sql.charAt(j) == '\\' && j + 1 < sql.length()) {
                        j++;
                    }
                    text.append(sql.charAt(j++));
                }
                out.add(new Token(text.toString(), c == '"' ? '\'' : c));
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int j = i;
                while (j < sql.length()
                        && (Character.isLetterOrDigit(sql.charAt(j))
                                || sql.charAt(j) == '_'
                                || sql.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Token(sql.substring(i, j), (char) 0));
                i = j;
            } else {
                out.add(new Token(String.valueOf(c), (char) 0));
                i++;
            }
        }
        return out;
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
