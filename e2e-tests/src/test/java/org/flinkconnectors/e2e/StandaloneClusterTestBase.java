package org.flinkconnectors.e2e;

import org.flinkconnectors.e2e.SqlGatewayClient.Session;
import org.flinkconnectors.e2e.SqlGatewayClient.StatementResult;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A real standalone Flink session cluster with a SQL gateway, in JVMs of their own, for the tests
 * of one class. Their classpath holds neither the suite's classes nor the connectors' client
 * libraries (e2e-tests/pom.xml), so a connector can only come from the SQL jar a test adds.
 */
abstract class StandaloneClusterTestBase {

    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

    static StandaloneFlinkCluster cluster;
    static SqlGatewayClient gateway;

    @RegisterExtension static final TestWatcher DUMP_LOGS_ON_FAILURE = new DumpLogsOnFailure();

    @BeforeAll
    static void startFlinkAndGateway() throws Exception {
        Path workDir =
                Files.createDirectories(Path.of(requiredProperty("e2e.work.dir")))
                        .resolve("standalone-" + System.currentTimeMillis());
        ClusterClasspath classpath =
                ClusterClasspath.load(Path.of(requiredProperty("flink.cluster.classpath.file")));
        List<String> opens =
                Arrays.stream(requiredProperty("flink.cluster.jvm.opens").trim().split("\\s+"))
                        .toList();
        cluster = StandaloneFlinkCluster.start(workDir, classpath, opens);
        gateway = new SqlGatewayClient(cluster.sqlGatewayUrl());
        progress(
                "Flink cluster at "
                        + cluster.restUrl()
                        + ", SQL gateway at "
                        + cluster.sqlGatewayUrl());
    }

    @AfterAll
    static void stopFlink() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    static StatementResult run(Session session, String statement) throws Exception {
        StatementResult result = session.execute(statement, STATEMENT_TIMEOUT);
        progress("executed: " + statement.substring(0, Math.min(60, statement.length())));
        return result;
    }

    /** Progress with timestamps in the test output, to see where a slow run spends time. */
    static void progress(String message) {
        System.out.printf("[%s] %s%n", java.time.LocalTime.now(), message);
    }

    /** The SQL jar named by a system property that failsafe sets. */
    static Path sqlJar(String property) {
        Path jar = Path.of(requiredProperty(property)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing; build it with ./mvnw -pl e2e-tests -am verify");
        }
        return jar;
    }

    static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "System property "
                            + key
                            + " is not set; failsafe sets it (e2e-tests/pom.xml).");
        }
        return value;
    }

    /** Prints the cluster's and the gateway's logs when a test fails. */
    private static final class DumpLogsOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.out.println("Test failed: " + cause + "; logs of the Flink processes:");
                cluster.dumpLogs(System.out);
            }
        }
    }
}
