package org.flinkconnectors.streams.source.enumerator.admin;

import org.flinkconnectors.base.retry.Retrier;
import org.flinkconnectors.base.retry.RetriesExhaustedException;
import org.flinkconnectors.base.retry.RetryPolicy;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * The enumerator's access to the Kafka {@link Admin} client: every call runs under a bounded {@link
 * Retrier} and a failure that outlives the retries becomes an {@link IOException} that says which
 * brokers could not be reached and what was attempted, so a wrong address fails the job quickly and
 * clearly instead of hanging.
 */
@Internal
public final class RetryingAdmin implements AutoCloseable {

    /** Admin timeouts used unless the user sets them: short enough that retries stay bounded. */
    static final String DEFAULT_REQUEST_TIMEOUT_MS = "10000";

    static final String DEFAULT_API_TIMEOUT_MS = "20000";

    /** Three attempts with 1 s and 2 s pauses; with the timeouts above at most about a minute. */
    public static final RetryPolicy DEFAULT_RETRY_POLICY =
            RetryPolicy.of(3, Duration.ofSeconds(1), Duration.ofSeconds(4));

    /** A request against the admin client; may block on futures. */
    @FunctionalInterface
    public interface Request<T> {
        T run(Admin admin) throws Exception;
    }

    private final Admin admin;
    private final String bootstrapServers;
    private final RetryPolicy policy;
    private final Retrier retrier;

    public RetryingAdmin(Admin admin, String bootstrapServers, RetryPolicy policy) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.policy = policy;
        this.retrier = new Retrier(policy, RetryingAdmin::isTransient);
    }

    /**
     * Creates an admin client from the source's consumer properties, keeping only admin settings
     * (so Kafka does not warn about unused consumer keys) and bounding its timeouts.
     */
    public static RetryingAdmin create(Properties consumerProperties, String clientId) {
        Properties adminProperties = new Properties();
        for (String name : consumerProperties.stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(name)) {
                adminProperties.setProperty(name, consumerProperties.getProperty(name));
            }
        }
        adminProperties.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        adminProperties.putIfAbsent(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_REQUEST_TIMEOUT_MS);
        adminProperties.putIfAbsent(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, DEFAULT_API_TIMEOUT_MS);
        String bootstrap =
                adminProperties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "");
        Admin admin;
        try {
            admin = Admin.create(adminProperties);
        } catch (KafkaException e) {
            // E.g. no bootstrap address resolves; the cause says why, the wrapper does not.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException(
                    String.format(
                            "Could not reach the Kafka brokers at %s: creating an admin client"
                                    + " failed (%s). Check 'bootstrap.servers' and the client"
                                    + " settings.",
                            bootstrap, root.getMessage()),
                    e);
        }
        return new RetryingAdmin(admin, bootstrap, DEFAULT_RETRY_POLICY);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Runs {@code request}, retrying transient Kafka errors.
     *
     * @param description what is done, completing "Failed to ..." ("list the topics")
     */
    public <T> T call(String description, Request<T> request) throws IOException {
        try {
            return retrier.call(description, () -> request.run(admin));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while trying to " + description, e);
        } catch (RetriesExhaustedException e) {
            Throwable last = e.getCause();
            if (last instanceof TimeoutException) {
                throw new IOException(
                        String.format(
                                "Could not reach the Kafka brokers at %s to %s (%d attempts,"
                                        + " last error: %s). Check 'bootstrap.servers', that the"
                                        + " brokers are running and the network and security"
                                        + " settings.",
                                bootstrapServers,
                                description,
                                policy.maxAttempts(),
                                last.getMessage()),
                        e);
            }
            throw new IOException(
                    String.format(
                            "Failed to %s on the Kafka brokers at %s: %s",
                            description, bootstrapServers, last.getMessage()),
                    e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(
                    String.format(
                            "Failed to %s on the Kafka brokers at %s: %s",
                            description, bootstrapServers, e.getMessage()),
                    e);
        }
    }

    /** Waits for {@code future}, rethrowing the Kafka error itself rather than its wrapper. */
    public static <T> T await(KafkaFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    private static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
