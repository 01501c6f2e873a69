package org.flinkconnectors.streams.packaging;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the shaded SQL jar that users drop into Flink's {@code lib/}: the table factories are
 * registered, kafka-clients is inside and relocated, and no other unrelocated class leaks.
 */
class SqlJarPackagingITCase {

    private static final String SHADED = "org/flinkconnectors/streams/shaded/";

    @Test
    void sqlJarRegistersTheFactoriesAndRelocatesKafka() throws IOException {
        try (JarFile jar = new JarFile(sqlJar())) {
            String factories =
                    read(jar, "META-INF/services/org.apache.flink.table.factories.Factory");
            assertThat(factories)
                    .contains("org.flinkconnectors.streams.table.StreamsDynamicTableFactory")
                    .contains("org.flinkconnectors.streams.table.UpsertStreamsDynamicTableFactory");

            List<String> classes = new ArrayList<>();
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().endsWith(".class")) {
                    classes.add(entry.getName());
                }
            }
            assertThat(classes)
                    .contains(
                            SHADED + "org/apache/kafka/clients/producer/KafkaProducer.class",
                            "org/flinkconnectors/streams/source/StreamsSource.class",
                            "org/flinkconnectors/base/retry/Retrier.class");
            assertThat(classes)
                    .as("classes outside the suite's own packages")
                    .allMatch(name -> name.startsWith("org/flinkconnectors/"));
            assertThat(
                            jar.getEntry(
                                    "META-INF/services/org.flinkconnectors.streams.shaded.org.apache.kafka"
                                            + ".common.config.provider.ConfigProvider"))
                    .as("kafka's own service file follows the relocation")
                    .isNotNull();
        }
    }

    @Test
    void kafkaClassNamesInPropertiesFollowTheRelocation() throws Exception {
        try (URLClassLoader loader =
                new URLClassLoader(
                        new URL[] {sqlJar().toURI().toURL()},
                        ClassLoader.getPlatformClassLoader())) {
            Class<?> names = loader.loadClass("org.flinkconnectors.streams.util.KafkaClassNames");
            Properties props = new Properties();
            props.setProperty(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required;");
            Properties relocated =
                    (Properties) names.getMethod("relocate", Properties.class).invoke(null, props);
            assertThat(relocated.getProperty("sasl.jaas.config"))
                    .isEqualTo(
                            "org.flinkconnectors.streams.shaded.org.apache.kafka.common.security"
                                    + ".plain.PlainLoginModule required;");
        }
    }

    private static File sqlJar() {
        File[] jars =
                new File("target")
                        .listFiles(
                                (dir, name) ->
                                        name.matches("flink-connector-streams-.*-sql\\.jar"));
        assertThat(jars).as("the sql jar in target/ (built in the package phase)").hasSize(1);
        return jars[0];
    }

    private static String read(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as(name).isNotNull();
        return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }
}
