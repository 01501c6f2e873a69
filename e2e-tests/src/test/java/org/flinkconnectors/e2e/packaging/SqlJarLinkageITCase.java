package org.flinkconnectors.e2e.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each SQL jar in a class loader that holds only the jar and the Flink distribution's {@code lib/}
 * (e2e-tests/pom.xml), as on a user's cluster: every class the connector's code reaches inside the
 * jar links, except the optional features named here with the reason they are left out. The ODPS
 * jar's missing {@code javax.mail} was such a gap, hidden while the cluster's classpath came from
 * the suite's own dependencies.
 */
class SqlJarLinkageITCase {

    private static final String ODPS_SHADED = "org/flinkconnectors/odps/shaded/";

    private static List<Path> lib;

    @BeforeAll
    static void readDistribution() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(property("flink.dist.dir"), "lib"))) {
            lib = jars.filter(jar -> jar.toString().endsWith(".jar")).toList();
        }
        assertThat(lib).as("the distribution's lib/").hasSizeGreaterThan(20);
    }

    /** What the odps jar leaves out on purpose, each with the reason. */
    private static final String[] ODPS_NOT_BUNDLED = {
        // Netty's optional compression codecs and TLS providers: the SDK's HTTP runs on the JDK,
        // its netty only for upsert sessions over plain or JDK TLS.
        "com/aayushatharva/brotli4j/",
        "com/jcraft/jzlib/",
        "org/bouncycastle/",
        "org/conscrypt/",
        "org/eclipse/jetty/alpn/",
        "org/eclipse/jetty/npn/",
        ODPS_SHADED + "io/netty/internal/tcnative/",
        // Annotations, never loaded at run time.
        "org/jetbrains/annotations/",
        "org/immutables/value/",
        // GEOGRAPHY values, which the connector does not map.
        "org/locationtech/jts/",
        // An XML parser the SDK prefers StAX (in the JDK) to.
        "org/xmlpull/v1/",
        // The MaxStorage client (okhttp, Kotlin): tunnel sessions the connector opens never use
        // it, though tunnel.Configuration names it in a method signature.
        ODPS_SHADED + "com/aliyun/odps/storage/"
    };

    @Test
    void odpsJarLinksEverythingItsCodeReaches() throws IOException {
        Map<String, String> missing = missing("odps");
        assertThat(missing.keySet())
                .as("classes the odps jar links and nobody provides (-> a referrer): " + missing)
                .allMatch(name -> startsWithAny(name, ODPS_NOT_BUNDLED));
    }

    @Test
    void odpsTransportAndTunnelClassesLoad() throws IOException {
        Map<String, String> failures =
                SqlJarLinkage.unloadableClasses(
                        sqlJar("odps"),
                        lib,
                        name ->
                                startsWithAny(
                                        name,
                                        ODPS_SHADED + "com/aliyun/odps/commons/transport/",
                                        ODPS_SHADED + "com/aliyun/odps/rest/",
                                        ODPS_SHADED + "com/aliyun/odps/tunnel/",
                                        ODPS_SHADED + "com/aliyun/odps/account/",
                                        ODPS_SHADED + "javax/mail/internet/MimeUtility"));
        assertThat(failures.values())
                .as("classes that do not load, with the class they miss: " + failures)
                .allMatch(
                        error ->
                                Stream.of(ODPS_NOT_BUNDLED)
                                        .anyMatch(
                                                optional ->
                                                        error.contains(
                                                                "NoClassDefFoundError: "
                                                                        + optional)));
        assertThat(
                        SqlJarLinkage.classes(
                                sqlJar("odps"),
                                name -> name.startsWith(ODPS_SHADED + "com/aliyun/odps/tunnel/")))
                .as("tunnel classes checked")
                .hasSizeGreaterThan(50);
    }

    @Test
    void streamsJarLinksEverythingItsCodeReaches() throws IOException {
        Map<String, String> missing = missing("streams");
        assertThat(missing.keySet())
                .as("classes the streams jar links and nobody provides (-> a referrer): " + missing)
                .allMatch(
                        name ->
                                startsWithAny(
                                        name,
                                        // zstd compression needs zstd-jni in lib/, as with the
                                        // official Kafka SQL jar: a native library cannot be
                                        // relocated.
                                        "com/github/luben/zstd/",
                                        // Kafka's JSON rendering of protocol messages (TRACE
                                        // logs) and unsecured OAUTHBEARER test tokens.
                                        "com/fasterxml/jackson/"));
    }

    @Test
    void lakeJarLinksEverythingItsCodeReaches() throws IOException {
        assertThat(missing("lake")).isEmpty();
    }

    /** Missing classes reached from the connector's own classes through the jar. */
    private static Map<String, String> missing(String connector) throws IOException {
        String own = "org/flinkconnectors/" + connector + "/";
        return SqlJarLinkage.missingClasses(
                sqlJar(connector),
                lib,
                name -> name.startsWith(own) && !name.startsWith(own + "shaded/"),
                name -> name.startsWith("org/flinkconnectors/"));
    }

    private static boolean startsWithAny(String name, String... prefixes) {
        return Stream.of(prefixes).anyMatch(name::startsWith);
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
