package org.flinkconnectors.base.options;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Turns an error into one that shows no secret value of a connector's options: an error whose
 * messages (and causes) echo a secret, e.g. a client library quoting a URI or a header, is replaced
 * by a {@link ValidationException} with the same messages, the secrets masked and no cause.
 */
@Internal
public final class SecretSafeErrors {

    private SecretSafeErrors() {}

    /**
     * {@code error} itself when no value of a secret option of {@code options} appears in it or its
     * causes; otherwise a {@link ValidationException} that repeats the messages with the values
     * masked (see {@link SecretMasking#isSecretKey(String)}).
     */
    public static RuntimeException withoutSecrets(
            RuntimeException error, Map<String, String> options) {
        List<String> secrets = SecretMasking.secretValues(options);
        String text = fullText(error);
        if (secrets.stream().noneMatch(text::contains)) {
            return error;
        }
        StringBuilder message =
                new StringBuilder(
                        String.valueOf(SecretMasking.maskValues(error.getMessage(), options)));
        for (Throwable cause = error.getCause();
                cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            message.append(System.lineSeparator())
                    .append("Caused by: ")
                    .append(cause.getClass().getName())
                    .append(": ")
                    .append(SecretMasking.maskValues(cause.getMessage(), options));
        }
        ValidationException masked = new ValidationException(message.toString());
        masked.setStackTrace(error.getStackTrace());
        return masked;
    }

    /**
     * Like {@link #withoutSecrets(RuntimeException, Map)}, but always a {@link
     * ValidationException}: what a catalog's {@code open()} throws, since Flink prints every
     * catalog option, unmasked, around a {@code CatalogException} from it.
     */
    public static ValidationException asValidationException(
            RuntimeException error, String context, Map<String, String> options) {
        RuntimeException safe = withoutSecrets(error, options);
        if (safe instanceof ValidationException) {
            return (ValidationException) safe;
        }
        return new ValidationException(
                context + ": " + SecretMasking.maskValues(safe.getMessage(), options), safe);
    }

    /** The stack trace of {@code error} with every cause and suppressed exception, as printed. */
    public static String fullText(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
