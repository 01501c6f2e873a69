package org.flinkconnectors.odps.client;

import org.flinkconnectors.odps.table.OdpsConnectorOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ACCESS_ID;
import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ACCESS_KEY;

/**
 * The checks of {@link OdpsConnectionConfig.Builder#build()}: messages name the option and never
 * echo a credential (the key, the token, or user info inside a URL).
 */
final class ConnectionSettingsCheck {

    private static final String EXAMPLE_ENDPOINT =
            "'http://service.cn-hangzhou.maxcompute.aliyun.com/api'";

    private ConnectionSettingsCheck() {}

    static void requireEndpoint(String endpoint, String key) {
        require(endpoint, key, "the MaxCompute service endpoint, e.g. " + EXAMPLE_ENDPOINT);
        checkUrl(endpoint, key);
    }

    static void require(String value, String key, String what) {
        if (value == null) {
            throw new IllegalArgumentException(
                    String.format("Option '%s' is required: %s.", key, what));
        }
    }

    static void checkClientSettings(int maxRetries, Duration retryBackoff, Duration timeout) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException(
                    String.format(
                            "Option '%s' must be 0 or more, but is %d.",
                            OdpsConnectorOptions.CLIENT_MAX_RETRIES.key(), maxRetries));
        }
        if (retryBackoff == null || retryBackoff.isNegative()) {
            throw new IllegalArgumentException(
                    String.format(
                            "Option '%s' must be 0 or more, but is %s.",
                            OdpsConnectorOptions.CLIENT_RETRY_BACKOFF.key(), retryBackoff));
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    String.format(
                            "Option '%s' must be positive, but is %s.",
                            OdpsConnectorOptions.CLIENT_TIMEOUT.key(), timeout));
        }
    }

    static void checkUrl(String url, String key) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    String.format(
                            "Option '%s' is not a valid URL: '%s'. Expected e.g. %s.",
                            key, printable(url), EXAMPLE_ENDPOINT));
        }
        if (uri.getRawUserInfo() != null) {
            // Not echoed: user info in a URL is a credential.
            throw new IllegalArgumentException(
                    String.format(
                            "Option '%s' must not contain user info; use '%s' and '%s'.",
                            key, ACCESS_ID.key(), ACCESS_KEY.key()));
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    String.format(
                            "Option '%s' must be an http:// or https:// URL with a host, but"
                                    + " is '%s'.",
                            key, printable(url)));
        }
    }

    /** An endpoint as it may be shown; one with an '@' may carry a credential. */
    private static String printable(String url) {
        return url.indexOf('@') >= 0 ? "(not shown, it contains '@')" : url;
    }
}
