package org.flinkconnectors.streams.util;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.admin.Admin;

import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets users name Kafka classes in client properties the way Kafka documents them ({@code
 * org.apache.kafka.common.security.plain.PlainLoginModule} in {@code sasl.jaas.config}, a {@code
 * partitioner.class}, ...) even inside the SQL jar, where kafka-clients is relocated. Outside the
 * SQL jar nothing is relocated and the properties stay as they are.
 */
@Internal
public final class KafkaClassNames {

    /** Built at run time: the shade plugin would relocate a literal of this name. */
    private static final String ORIGINAL_ROOT = String.join(".", "org", "apache", "kafka", "");

    private static final String ACTUAL_ROOT = actualRoot();

    private KafkaClassNames() {}

    private static String actualRoot() {
        String admin = Admin.class.getName();
        return admin.substring(0, admin.length() - "clients.admin.Admin".length());
    }

    /** Rewrites Kafka class names in every value to the ones this build carries. */
    public static Properties relocate(Properties properties) {
        return relocate(properties, ORIGINAL_ROOT, ACTUAL_ROOT);
    }

    static Properties relocate(Properties properties, String originalRoot, String actualRoot) {
        if (originalRoot.equals(actualRoot)) {
            return properties;
        }
        // Names already written with the relocated prefix must not get it twice.
        String alreadyRelocatedPrefix =
                actualRoot.substring(0, actualRoot.length() - originalRoot.length());
        Pattern original =
                Pattern.compile(
                        "(?<!"
                                + Pattern.quote(alreadyRelocatedPrefix)
                                + ")"
                                + Pattern.quote(originalRoot));
        Properties relocated = new Properties();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key);
            relocated.setProperty(
                    key, original.matcher(value).replaceAll(Matcher.quoteReplacement(actualRoot)));
        }
        properties.forEach(
                (key, value) -> {
                    if (!(key instanceof String) || !(value instanceof String)) {
                        relocated.put(key, value);
                    }
                });
        return relocated;
    }
}
