package org.flinkconnectors.base.options;

import org.apache.flink.annotation.PublicEvolving;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Keeps secrets out of logs, exception messages, {@code toString} and the web UI.
 *
 * <p>A key is secret when any of its dot- or dash-separated words names a credential (password,
 * secret, token, access-key, jaas config, ...), the same heuristic Flink applies to its own
 * configuration, extended with the vendor keys the suite's connectors use.
 */
@PublicEvolving
public final class SecretMasking {

    /** What a masked value is replaced with. */
    public static final String MASK = "******";

    private static final String[] SENSITIVE_FRAGMENTS = {
        "password",
        "secret",
        "token",
        "access-key",
        "accesskey",
        "access.key",
        "jaas.config",
        "credential",
        "private-key",
        "private.key",
        "key.password",
        "auth-params",
    };

    private SecretMasking() {}

    /** Whether the value of {@code key} must never be shown. */
    public static boolean isSecretKey(String key) {
        String normalized = key.toLowerCase(Locale.ROOT);
        for (String fragment : SENSITIVE_FRAGMENTS) {
            if (normalized.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** A copy of {@code options}, sorted by key, with every secret value masked. */
    public static Map<String, String> mask(Map<String, String> options) {
        Map<String, String> masked = new LinkedHashMap<>();
        new TreeMap<>(options)
                .forEach((key, value) -> masked.put(key, isSecretKey(key) ? MASK : value));
        return masked;
    }

    /** A copy of {@code properties} as a sorted map, with every secret value masked. */
    public static Map<String, String> mask(Properties properties) {
        Map<String, String> plain = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(name -> plain.put(name, properties.getProperty(name)));
        return mask(plain);
    }
}
