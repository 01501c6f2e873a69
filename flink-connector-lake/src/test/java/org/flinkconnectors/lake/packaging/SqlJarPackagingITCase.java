package org.flinkconnectors.lake.packaging;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
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

    /**
     * Kernel inside the jar loads the log store by the class name the connector puts in the Hadoop
     * configuration, with its own class loader: the name must be the one the class has in the jar.
     * Only SLF4J comes from outside, as Flink's parent-first patterns give it.
     */
    @Test
    void kernelInTheSqlJarInstantiatesTheConnectorsLogStore() throws Exception {
        ClassLoader slf4jOnly =
                new ClassLoader(ClassLoader.getPlatformClassLoader()) {
                    @Override
                    protected Class<?> findClass(String name) throws ClassNotFoundException {
                        if (name.startsWith("org.slf4j.")) {
                            return SqlJarPackagingITCase.class.getClassLoader().loadClass(name);
                        }
                        throw new ClassNotFoundException(name);
                    }
                };
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {sqlJar().toURI().toURL()}, slf4jOnly)) {
            Class<?> confClass = loader.loadClass("org.apache.hadoop.conf.Configuration");
            Object conf = confClass.getConstructor().newInstance();
            Method withLocalLogStore =
                    loader.loadClass("org.flinkconnectors.lake.delta.DeltaEngines")
                            .getDeclaredMethod("withLocalLogStore", confClass);
            withLocalLogStore.setAccessible(true);
            Object connectorConf = withLocalLogStore.invoke(null, conf);
            Object store =
                    loader.loadClass("io.delta.kernel.defaults.internal.logstore.LogStoreProvider")
                            .getMethod("getLogStore", confClass, String.class)
                            .invoke(null, connectorConf, "file");
            assertThat(store.getClass().getName())
                    .isEqualTo("org.flinkconnectors.lake.delta.DeltaLocalLogStore");
            assertThat(store.getClass().getClassLoader()).isSameAs(loader);
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
