package org.flinkconnectors.base.testutils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated blocks of the project's README.md, each between {@code <!-- NAME:begin -->} and {@code
 * <!-- NAME:end -->}. A test asserts that a block equals what the code generates; run with {@code
 * -Ddocs.update=true}, it rewrites the block instead.
 */
public final class ReadmeBlocks {

    /** The system property that turns the check into an update of the README. */
    public static final String UPDATE_PROPERTY = "docs.update";

    private ReadmeBlocks() {}

    /**
     * Asserts that README block {@code name} holds exactly {@code content}, or writes it there when
     * {@value #UPDATE_PROPERTY} is set.
     */
    public static void assertBlock(String name, String content) throws IOException {
        Path readme = readme();
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String begin = "<!-- " + name + ":begin -->\n";
        String end = "<!-- " + name + ":end -->";
        int start = text.indexOf(begin);
        int stop = text.indexOf(end, Math.max(start, 0));
        assertThat(start)
                .as("README.md has no block '%s' (%s ... %s)", name, begin.trim(), end)
                .isNotNegative();
        assertThat(stop).as("README.md block '%s' has no end marker %s", name, end).isPositive();
        String current = text.substring(start + begin.length(), stop);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            if (!current.equals(content)) {
                Files.writeString(
                        readme,
                        text.substring(0, start + begin.length()) + content + text.substring(stop),
                        StandardCharsets.UTF_8);
            }
            return;
        }
        assertThat(current)
                .as(
                        "README.md block '%s' differs from the code; run this test with"
                                + " -D%s=true to rewrite the block, then review the diff",
                        name, UPDATE_PROPERTY)
                .isEqualTo(content);
    }

    /** The README.md of the project: Maven runs a module's tests in the module's directory. */
    private static Path readme() {
        Path readme = Paths.get("..", "README.md").toAbsolutePath().normalize();
        assertThat(readme).as("the project's README.md").isRegularFile();
        return readme;
    }
}
