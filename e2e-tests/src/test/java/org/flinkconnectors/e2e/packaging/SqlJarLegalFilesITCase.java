package org.flinkconnectors.e2e.packaging;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legal files of each SQL jar (the shade plugin's notice and license transformers in the
 * connector modules' pom.xml): {@code META-INF/LICENSE} is the project's Apache 2.0 text, {@code
 * META-INF/NOTICE} starts with the project's NOTICE and holds the notices of bundled libraries,
 * each once, with no second NOTICE or LICENSE beside them, and the license files of bundled
 * libraries that say more than the Apache 2.0 text stay in the jar under {@code
 * META-INF/licenses/}.
 */
class SqlJarLegalFilesITCase {

    /** A NOTICE or LICENSE file that a reader would take for the jar's own. */
    private static final Pattern TOP_LEVEL_LEGAL_FILE =
            Pattern.compile(
                    "(META-INF/)?(NOTICE|LICENSE)(\\.txt|\\.md)?", Pattern.CASE_INSENSITIVE);

    /** The first lines of some notices each jar's bundled libraries carry. */
    private static final Map<String, List<String>> BUNDLED_NOTICES =
            Map.of(
                    // kafka-clients keeps its NOTICE at the jar root, not in META-INF.
                    "streams", List.of("Apache Kafka\nCopyright "),
                    "odps",
                            List.of(
                                    "Apache Commons Codec\nCopyright ",
                                    "Apache Commons Compress\nCopyright ",
                                    "Arrow Vectors\nCopyright ",
                                    "# Jackson JSON processor\n"),
                    "lake",
                            List.of(
                                    // Iceberg's runtime keeps its NOTICE at the jar root.
                                    "Apache Iceberg\nCopyright ",
                                    "Apache Parquet Avro\nCopyright ",
                                    "Apache Hadoop\nCopyright ",
                                    "Apache Commons Pool\nCopyright ",
                                    "# Notices for Eclipse Project for JAF\n"));

    /**
     * License files of bundled libraries that must stay, with a phrase each one holds (the streams
     * jar bundles only kafka-clients, whose LICENSE is the Apache 2.0 text).
     */
    private static final Map<String, Map<String, String>> THIRD_PARTY_LICENSES =
            Map.of(
                    "odps",
                    Map.of(
                            "META-INF/licenses/javax.mail-mail/LICENSE.txt",
                                    "COMMON DEVELOPMENT AND DISTRIBUTION LICENSE",
                            "META-INF/licenses/javax.activation-activation/LICENSE.txt",
                                    "COMMON DEVELOPMENT AND DISTRIBUTION LICENSE"),
                    "lake",
                    Map.of(
                            "META-INF/licenses/iceberg-flink-runtime-2.1/LICENSE",
                                    "This product includes a gradle wrapper.",
                            "META-INF/licenses/iceberg-flink-runtime-2.1/META-INF/LICENSE.txt",
                                    "Stephen Colebourne",
                            "META-INF/licenses/hadoop-client-runtime/LICENSE.txt",
                                    "This product bundles various third-party components",
                            "META-INF/licenses/parquet-column/LICENSE", "fastutil",
                            "META-INF/licenses/parquet-hadoop/LICENSE", "ElephantBird"));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"streams", "odps", "lake"})
    void licenseIsTheProjectsApacheLicense(String connector) throws IOException {
        String projectLicense = rootFile("LICENSE");
        assertThat(projectLicense)
                .as("the project's LICENSE")
                .contains("Apache License\n                           Version 2.0, January 2004")
                .contains("END OF TERMS AND CONDITIONS");

        Map<String, byte[]> jar = legalFiles(connector);

        assertThat(text(jar, "META-INF/LICENSE")).isEqualTo(projectLicense);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"streams", "odps", "lake"})
    void noticeStartsWithTheProjectsAndHoldsTheBundledOnes(String connector) throws IOException {
        String projectNotice = rootFile("NOTICE").strip();
        assertThat(projectNotice).startsWith("Flink Connector Suite\nCopyright ");

        String notice = text(legalFiles(connector), "META-INF/NOTICE");

        assertThat(notice.stripLeading()).startsWith(projectNotice + "\n");
        // The project's copyright once: a NOTICE the transformer did not recognise as the
        // project's would get a made-up "Flink Connector Suite / Copyright ... ASF" line too.
        assertThat(notice.split("Flink Connector Suite\n", -1)).hasSize(2);
        for (String bundled : BUNDLED_NOTICES.get(connector)) {
            assertThat(notice).as("a bundled library's notice").contains(bundled);
            assertThat(notice.split(Pattern.quote(bundled), -1))
                    .as("%s once", bundled.lines().findFirst().orElseThrow())
                    .hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"streams", "odps", "lake"})
    void oneNoticeAndOneLicenseAtTheTop(String connector) throws IOException {
        List<String> topLevel = new ArrayList<>();
        for (String name : entryNames(connector)) {
            if (TOP_LEVEL_LEGAL_FILE.matcher(name).matches()) {
                topLevel.add(name);
            }
        }

        assertThat(topLevel).containsExactlyInAnyOrder("META-INF/NOTICE", "META-INF/LICENSE");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"odps", "lake"})
    void bundledLicensesBeyondApacheStay(String connector) throws IOException {
        Map<String, byte[]> jar = legalFiles(connector);

        THIRD_PARTY_LICENSES
                .get(connector)
                .forEach((path, phrase) -> assertThat(text(jar, path)).as(path).contains(phrase));
    }

    /** Every entry name, duplicates included (a ZIP may hold one name twice). */
    private static List<String> entryNames(String connector) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(sqlJar(connector)))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    /** The jar's NOTICE and LICENSE files by path, wherever they are. */
    private static Map<String, byte[]> legalFiles(String connector) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(sqlJar(connector)))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName();
                String file = name.substring(name.lastIndexOf('/') + 1).toUpperCase();
                if (!entry.isDirectory()
                        && (file.contains("NOTICE") || file.contains("LICENSE"))
                        && !name.endsWith(".class")) {
                    files.put(name, in.readAllBytes());
                }
            }
        }
        return files;
    }

    private static String text(Map<String, byte[]> files, String path) {
        assertThat(files).as("legal files of the jar").containsKey(path);
        return new String(files.get(path), StandardCharsets.UTF_8);
    }

    private static String rootFile(String name) throws IOException {
        Path file = Path.of(property("project.root.dir"), name);
        assertThat(file).as("the project's %s", name).isRegularFile();
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static Path sqlJar(String connector) {
        Path jar = Path.of(property(connector + ".sql.jar"));
        assertThat(jar).as("the %s SQL jar, built in the package phase", connector).isRegularFile();
        return jar;
    }

    private static String property(String key) {
        String value = System.getProperty(key);
        assertThat(value).as("system property %s, set by failsafe", key).isNotBlank();
        return value;
    }
}
