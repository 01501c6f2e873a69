package org.flinkconnectors.odps.packaging;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the shaded SQL jar users drop into Flink's {@code lib/}: both factories are registered,
 * the ODPS SDK and its libraries are inside and relocated, and no unrelocated class leaks. The
 * standalone-cluster test in {@code e2e-tests} runs SQL with this jar alone.
 */
class SqlJarPackagingITCase {

    private static final String SHADED = "org/flinkconnectors/odps/shaded/";

    @Test
    void sqlJarRegistersTheFactoriesAndRelocatesTheSdk() throws IOException {
        try (JarFile jar = new JarFile(sqlJar())) {
            assertThat(read(jar, "META-INF/services/org.apache.flink.table.factories.Factory"))
                    .contains("org.flinkconnectors.odps.table.OdpsDynamicTableFactory")
                    .contains("org.flinkconnectors.odps.catalog.OdpsCatalogFactory");

            List<String> classes = new ArrayList<>();
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().endsWith(".class")) {
                    classes.add(entry.getName());
                }
            }
            assertThat(classes)
                    .contains(
                            SHADED + "com/aliyun/odps/tunnel/TableTunnel.class",
                            SHADED
                                    + "com/aliyun/odps/commons/proto/ProtobufRecordStreamWriter.class",
                            SHADED + "com/google/protobuf/CodedOutputStream.class",
                            SHADED + "com/google/gson/Gson.class",
                            "org/flinkconnectors/odps/source/OdpsSource.class",
                            "org/flinkconnectors/odps/sink/OdpsSink.class",
                            "org/flinkconnectors/base/retry/Retrier.class");
            assertThat(classes)
                    .as("classes outside the suite's own packages")
                    .allMatch(name -> name.startsWith("org/flinkconnectors/"));
        }
    }

    private static File sqlJar() {
        File[] jars =
                new File("target")
                        .listFiles(
                                (dir, name) -> name.matches("flink-connector-odps-.*-sql\\.jar"));
        assertThat(jars).as("the sql jar in target/ (built in the package phase)").hasSize(1);
        return jars[0];
    }

    private static String read(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as(name).isNotNull();
        return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }
}
