package org.flinkconnectors.odps.client;

import org.flinkconnectors.base.options.SecretMasking;
import org.flinkconnectors.base.retry.RetryPolicy;
import org.flinkconnectors.odps.table.OdpsConnectorOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

import com.aliyun.odps.Odps;
import com.aliyun.odps.account.Account;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.account.StsAccount;
import com.aliyun.odps.rest.RestClient;
import com.aliyun.odps.tunnel.Configuration;
import com.aliyun.odps.tunnel.TableTunnel;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ACCESS_ID;
import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ACCESS_KEY;

/**
 * Where and as whom to connect to MaxCompute: endpoints, project, schema, credentials and the
 * client's retry and timeout settings. Immutable and serializable, so sources, sinks and catalogs
 * carry it to the task managers and build their SDK clients there with {@link #createOdps()} and
 * {@link #createTableTunnel(Odps)}.
 *
 * <p>The access key and STS token never appear in {@link #toString()} or in any exception message.
 *
 * <pre>{@code
 * OdpsConnectionConfig config =
 *         OdpsConnectionConfig.builder()
 *                 .endpoint("http://service.cn-hangzhou.maxcompute.aliyun.com/api")
 *                 .project("my_project")
 *                 .accessId(System.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"))
 *                 .accessKey(System.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"))
 *                 .build();
 * }</pre>
 */
@PublicEvolving
public final class OdpsConnectionConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Upper bound of the connector's exponential backoff, unless the initial pause is larger. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final String USER_AGENT = "flink-connector-odps";

    private final String endpoint;
    private final String tunnelEndpoint;
    private final String project;
    private final String schema;
    private final String accessId;
    private final String accessKey;
    private final String stsToken;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Duration timeout;

    private OdpsConnectionConfig(Builder builder) {
        this.endpoint = builder.endpoint;
        this.tunnelEndpoint = builder.tunnelEndpoint;
        this.project = builder.project;
        this.schema = builder.schema;
        this.accessId = builder.accessId;
        this.accessKey = builder.accessKey;
        this.stsToken = builder.stsToken;
        this.maxRetries = builder.maxRetries;
        this.retryBackoff = builder.retryBackoff;
        this.timeout = builder.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the connection options, taking missing credentials from the process environment. */
    public static OdpsConnectionConfig fromOptions(ReadableConfig options) {
        return fromOptions(options, System.getenv());
    }

    /**
     * Reads the connection options. The credentials come either all from the options or all from
     * {@code environment} ({@value OdpsConnectorOptions#ENV_ACCESS_KEY_ID}, {@value
     * OdpsConnectorOptions#ENV_ACCESS_KEY_SECRET}, {@value
     * OdpsConnectorOptions#ENV_SECURITY_TOKEN}): a key id from one place and a secret or token from
     * another would never authenticate, so they are not mixed.
     *
     * @throws ValidationException if an option is missing or invalid, naming the option
     */
    public static OdpsConnectionConfig fromOptions(
            ReadableConfig options, Map<String, String> environment) {
        return ConnectionOptionsReader.read(options, environment);
    }

    /**
     * A new SDK entry point for this configuration: account, endpoint, default project, current
     * schema, and the SDK's HTTP timeouts and retries (which the SDK applies to GET and HEAD
     * requests only, waiting a fixed {@code client.retry-backoff} between them).
     */
    public Odps createOdps() {
        Account account =
                stsToken == null
                        ? new AliyunAccount(accessId, accessKey)
                        : new StsAccount(accessId, accessKey, stsToken);
        Odps odps = new Odps(account);
        odps.setEndpoint(endpoint);
        odps.setDefaultProject(project);
        if (schema != null) {
            odps.setCurrentSchema(schema);
        }
        if (tunnelEndpoint != null) {
            odps.setTunnelEndpoint(tunnelEndpoint);
        }
        odps.setUserAgent(USER_AGENT);
        RestClient client = odps.getRestClient();
        client.setConnectTimeout(toSeconds(timeout));
        client.setReadTimeout(toSeconds(timeout));
        client.setRetryTimes(maxRetries);
        client.setRetryWaitTime(toSeconds(retryBackoff));
        // The SDK would otherwise upload its own usage statistics from a background thread.
        client.disableDeprecatedLogger();
        return odps;
    }

    /**
     * A tunnel client on {@code odps} with this configuration's timeouts and retries, and the
     * configured tunnel endpoint if any (otherwise the SDK asks the service for it on first use).
     */
    public TableTunnel createTableTunnel(Odps odps) {
        TableTunnel tunnel = new TableTunnel(odps);
        Configuration tunnelConfig = tunnel.getConfig();
        tunnelConfig.setSocketConnectTimeout(toSeconds(timeout));
        tunnelConfig.setSocketTimeout(toSeconds(timeout));
        tunnelConfig.setSocketRetryTimes(maxRetries);
        if (tunnelEndpoint != null) {
            tunnel.setEndpoint(tunnelEndpoint);
        }
        return tunnel;
    }

    /**
     * The connector's own retry policy for calls the SDK does not retry (tunnel sessions, commits,
     * upsert data sends and their connections): {@code client.max-retries} retries with exponential
     * backoff from {@code client.retry-backoff} up to 30 s (or the initial backoff, if larger).
     */
    public RetryPolicy retryPolicy() {
        Duration max = retryBackoff.compareTo(MAX_BACKOFF) > 0 ? retryBackoff : MAX_BACKOFF;
        return RetryPolicy.of(maxRetries + 1, retryBackoff, max);
    }

    public String endpoint() {
        return endpoint;
    }

    public Optional<String> tunnelEndpoint() {
        return Optional.ofNullable(tunnelEndpoint);
    }

    public String project() {
        return project;
    }

    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    public String accessId() {
        return accessId;
    }

    /** Whether the credentials are temporary STS credentials. */
    public boolean usesStsToken() {
        return stsToken != null;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OdpsConnectionConfig)) {
            return false;
        }
        OdpsConnectionConfig that = (OdpsConnectionConfig) o;
        return maxRetries == that.maxRetries
                && endpoint.equals(that.endpoint)
                && Objects.equals(tunnelEndpoint, that.tunnelEndpoint)
                && project.equals(that.project)
                && Objects.equals(schema, that.schema)
                && accessId.equals(that.accessId)
                && accessKey.equals(that.accessKey)
                && Objects.equals(stsToken, that.stsToken)
                && retryBackoff.equals(that.retryBackoff)
                && timeout.equals(that.timeout);
    }

    @Override
    public int hashCode() {
        // Secrets stay out of the hash: equal objects still hash alike, and nothing derived from a
        // secret ends up in a log line or a hash-keyed dump.
        return Objects.hash(
                endpoint,
                tunnelEndpoint,
                project,
                schema,
                accessId,
                maxRetries,
                retryBackoff,
                timeout);
    }

    @Override
    public String toString() {
        return "OdpsConnectionConfig{endpoint="
                + endpoint
                + ", tunnelEndpoint="
                + tunnelEndpoint
                + ", project="
                + project
                + ", schema="
                + schema
                + ", accessId="
                + accessId
                + ", accessKey="
                + SecretMasking.MASK
                + ", stsToken="
                + (stsToken == null ? "none" : SecretMasking.MASK)
                + ", maxRetries="
                + maxRetries
                + ", retryBackoff="
                + retryBackoff
                + ", timeout="
                + timeout
                + '}';
    }

    /** Whole seconds for the SDK, rounded up; the SDK rejects waits and timeouts below 1 s. */
    static int toSeconds(Duration duration) {
        long millis = duration.toMillis();
        long seconds = millis / 1000 + (millis % 1000 == 0 ? 0 : 1);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
    }

    static String blankToNull(String value) {
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }

    /** Builder of {@link OdpsConnectionConfig}; {@link #build()} checks every field. */
    @PublicEvolving
    public static final class Builder {

        private String endpoint;
        private String tunnelEndpoint;
        private String project;
        private String schema;
        private String accessId;
        private String accessKey;
        private String stsToken;
        private int maxRetries = OdpsConnectorOptions.CLIENT_MAX_RETRIES.defaultValue();
        private Duration retryBackoff = OdpsConnectorOptions.CLIENT_RETRY_BACKOFF.defaultValue();
        private Duration timeout = OdpsConnectorOptions.CLIENT_TIMEOUT.defaultValue();

        private Builder() {}

        /** Service endpoint, e.g. {@code http://service.cn-hangzhou.maxcompute.aliyun.com/api}. */
        public Builder endpoint(String endpoint) {
            this.endpoint = blankToNull(endpoint);
            return this;
        }

        /** Tunnel endpoint; optional, the SDK discovers it when not set. */
        public Builder tunnelEndpoint(String tunnelEndpoint) {
            this.tunnelEndpoint = blankToNull(tunnelEndpoint);
            return this;
        }

        public Builder project(String project) {
            this.project = blankToNull(project);
            return this;
        }

        /** Schema of a three-tier project; optional. */
        public Builder schema(String schema) {
            this.schema = blankToNull(schema);
            return this;
        }

        public Builder accessId(String accessId) {
            this.accessId = blankToNull(accessId);
            return this;
        }

        public Builder accessKey(String accessKey) {
            this.accessKey = blankToNull(accessKey);
            return this;
        }

        /** Security token of STS credentials; optional. */
        public Builder stsToken(String stsToken) {
            this.stsToken = blankToNull(stsToken);
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Checks the fields and builds the configuration.
         *
         * @throws IllegalArgumentException naming the missing or invalid setting; never containing
         *     the access key or token
         */
        public OdpsConnectionConfig build() {
            ConnectionSettingsCheck.requireEndpoint(endpoint, OdpsConnectorOptions.ENDPOINT.key());
            if (tunnelEndpoint != null) {
                ConnectionSettingsCheck.checkUrl(
                        tunnelEndpoint, OdpsConnectorOptions.TUNNEL_ENDPOINT.key());
            }
            ConnectionSettingsCheck.require(
                    project, OdpsConnectorOptions.PROJECT.key(), "the MaxCompute project");
            ConnectionSettingsCheck.require(accessId, ACCESS_ID.key(), "the AccessKey id");
            ConnectionSettingsCheck.require(accessKey, ACCESS_KEY.key(), "the AccessKey secret");
            ConnectionSettingsCheck.checkClientSettings(maxRetries, retryBackoff, timeout);
            return new OdpsConnectionConfig(this);
        }
    }
}
