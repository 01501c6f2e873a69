package org.flinkconnectors.base.testutils;

import org.flinkconnectors.base.options.SecretSafeErrors;

import org.apache.flink.table.api.ValidationException;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Assertions that a connector's errors and descriptions name what is wrong without showing a
 * secret: they look at the whole printed stack trace, every cause included, as a log would show it.
 */
public final class SecretLeakAssertions {

    private SecretLeakAssertions() {}

    /**
     * Runs {@code call} and asserts that it fails with a {@link ValidationException} somewhere in
     * the cause chain, that the printed stack trace names each of {@code expected} (the bad key,
     * its valid values) and shows none of {@code secrets}.
     *
     * @return the printed stack trace, for further assertions
     */
    public static String assertFailsWithoutSecrets(
            ThrowingCallable call, List<String> expected, String... secrets) {
        Throwable error = catchThrowable(call);
        assertThat(error).as("the statement should fail").isNotNull();
        String text = SecretSafeErrors.fullText(error);
        assertThat(causes(error)).as(text).hasAtLeastOneElementOfType(ValidationException.class);
        assertThat(text).contains(expected);
        assertNoSecrets(text, secrets);
        return text;
    }

    /** Asserts that {@code text} shows none of {@code secrets}. */
    public static void assertNoSecrets(String text, String... secrets) {
        assertThat(text).isNotNull().doesNotContain(secrets);
    }

    private static List<Throwable> causes(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
