package org.flinkconnectors.base.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.table.utils.EncodingUtils;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps secrets out of logs, exception messages, {@code toString} and the web UI.
 *
 * <p>A key is secret when Flink's own heuristic ({@link GlobalConfiguration#isSensitive(String)}:
 * password, secret, token, jaas.config, ...) says so, or when it names one of the credentials the
 * suite's connectors and their clients take: access keys ({@code access-key}, {@code
 * fs.s3a.access.key}, any other {@code fs.*.key}), credentials, private and keystore keys ({@code
 * ssl.keystore.key}), JAAS settings, schema-registry user info ({@code basic.auth.user.info}), HTTP
 * headers of a REST catalog ({@code header.*}) and Azure SAS tokens ({@code fs.azure.sas.*}).
 */
@PublicEvolving
public final class SecretMasking {

    /** What a masked value is replaced with. */
    public static final String MASK = "******";

    /** Parts of keys whose values are secret, wherever they occur in the key. */
    private static final String[] SENSITIVE_FRAGMENTS = {
        "access-key",
        "accesskey",
        "access.key",
        "access_key",
        "credential",
        "private-key",
        "private.key",
        "privatekey",
        "keystore.key",
        "basic.auth",
        "user.info",
        "userinfo",
        "auth-params",
    };

    /** Whole words (between '.', '-' and '_') of keys whose values are secret. */
    private static final Set<String> SENSITIVE_WORDS =
            Set.of("jaas", "sas", "header", "headers", "credentials");

    /** {@code fs.<scheme>....key}: Hadoop file system keys (S3A, OSS, GCS, Azure, ...). */
    private static final Pattern FILE_SYSTEM_KEY =
            Pattern.compile("(^|\\.)fs\\.(.+\\.)?key(\\.|$)");

    private static final Pattern WORD_SEPARATORS = Pattern.compile("[.\\-_]");

    private SecretMasking() {}

    /** Whether the value of {@code key} must never be shown. */
    public static boolean isSecretKey(String key) {
        String normalized = key.toLowerCase(Locale.ROOT);
        if (isMaskedByFlink(normalized)) {
            return true;
        }
        for (String fragment : SENSITIVE_FRAGMENTS) {
            if (normalized.contains(fragment)) {
                return true;
            }
        }
        for (String word : WORD_SEPARATORS.split(normalized)) {
            if (SENSITIVE_WORDS.contains(word)) {
                return true;
            }
        }
        return FILE_SYSTEM_KEY.matcher(normalized).find();
    }

    /**
     * Whether Flink itself hides the value of {@code key} where it prints options, e.g. in the
     * "Unable to create a source for reading table" message of its {@code FactoryUtil}.
     */
    public static boolean isMaskedByFlink(String key) {
        return GlobalConfiguration.isSensitive(key);
    }

    /** Whether {@code options} hold a secret that Flink would print if it printed them. */
    public static boolean hasSecretFlinkWouldShow(Map<String, String> options) {
        return options.keySet().stream().anyMatch(key -> isSecretKey(key) && !isMaskedByFlink(key));
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

    /**
     * {@code text} with every value of a secret option of {@code options} replaced by {@link
     * #MASK}, for messages that may echo a value (a library's error, a parsed URI).
     */
    public static String maskValues(String text, Map<String, String> options) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secretValues(options)) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /** The non-blank values of the secret options of {@code options}, longest first. */
    public static List<String> secretValues(Map<String, String> options) {
        return options.entrySet().stream()
                .filter(entry -> isSecretKey(entry.getKey()))
                .map(Map.Entry::getValue)
                .filter(value -> value != null && !value.isBlank())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .collect(Collectors.toList());
    }

    /**
     * The options as Flink's own messages list them, one {@code 'key'='value'} per line sorted by
     * key, with every secret value masked.
     */
    public static String describe(Map<String, String> options) {
        return mask(options).entrySet().stream()
                .map(
                        entry ->
                                String.format(
                                        "'%s'='%s'",
                                        EncodingUtils.escapeSingleQuotes(entry.getKey()),
                                        EncodingUtils.escapeSingleQuotes(entry.getValue())))
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
