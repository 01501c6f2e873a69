package org.flinkconnectors.lake.packaging;

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
 * Checks the shaded SQL jar users drop into Flink's {@code lib/} or add with {@code ADD JAR}: only
 * the suite's factories are registered (Iceberg's runtime brings its own, dropped), Iceberg, Delta
 * Kernel and the Hadoop client are inside, and Kernel's Parquet and Jackson are relocated. The
 * standalone-cluster test in {@code e2e-tests} runs SQL with this jar alone.
 */
class SqlJarPackagingITCase {

    private static final String SHADED = "org/flinkconnectors/lake/shaded/";

    /** Packages that keep their names, each for a reason given in the pom. */
    private static final List<String> UNRELOCATED =
            List.of(
                    "org/flinkconnectors/",
                    "org/apache/iceberg/",
                    "io/delta/",
                    "org/apache/hadoop/",
                    "org/xerial/snappy/",
                    // bundled unrelocated inside Iceberg's runtime jar
                    "org/apache/datasketches/",
                    "org/projectnessie/",
                    "org/eclipse/microprofile/",
                    "org/locationtech/jts/",
                    "org/roaringbitmap/",
                    "dev/failsafe/",
                    "com/github/luben/zstd/",
                    // Iceberg's runtime ships this one; Flink loads org.apache.flink parent-first
                    "org/apache/flink/table/api/runtime/types/FlinkScalaKryoInstantiator.class",
                    // a class of Delta's storage module, kept under Delta's name
                    "org/apache/spark/sql/delta/coordinatedcommits/");

    @Test
    void sqlJarRegistersOnlyTheLakeFactories() throws IOException {
        try (JarFile jar = new JarFile(sqlJar())) {
            assertThat(read(jar, "META-INF/services/org.apache.flink.table.factories.Factory"))
                    .contains("org.flinkconnectors.lake.table.LakeDynamicTableFactory")
                    .contains("org.flinkconnectors.lake.catalog.LakeCatalogFactory")
                    .doesNotContain("org.apache.iceberg");
            assertThat(read(jar, "META-INF/services/org.apache.hadoop.fs.FileSystem"))
                    .contains("org.apache.hadoop.fs.LocalFileSystem");
        }
    }

    @Test
    void sqlJarBundlesTheFormatsAndRelocatesKernelLibraries() throws IOException {
        try (JarFile jar = new JarFile(sqlJar())) {
            List<String> classes = new ArrayList<>();
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().endsWith(".class")) {
                    classes.add(entry.getName());
                }
            }
            assertThat(classes)
                    .contains(
                            "org/flinkconnectors/lake/source/LakeSource.class",
                            "org/flinkconnectors/lake/sink/LakeSink.class",
                            "org/flinkconnectors/base/retry/Retrier.class",
                            "org/apache/iceberg/flink/source/RowDataFileScanTaskReader.class",
                            "io/delta/kernel/defaults/engine/DefaultEngine.class",
                            "org/apache/hadoop/fs/LocalFileSystem.class",
                            SHADED + "org/apache/parquet/hadoop/ParquetFileReader.class",
                            SHADED + "com/fasterxml/jackson/databind/ObjectMapper.class");
            assertThat(classes)
                    .as("classes outside the relocated and the deliberately kept packages")
                    .allMatch(name -> UNRELOCATED.stream().anyMatch(name::startsWith));
        }
    }

    private static File sqlJar() {
        File[] jars =
                new File("target")
                        .listFiles(
                                (dir, name) -> name.matches("flink-connector-lake-.*-sql\\.jar"));
        assertThat(jars).as("the sql jar in target/ (built in the package phase)").hasSize(1);
        return jars[0];
    }

    private static String read(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as(name).isNotNull();
        return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }
}
