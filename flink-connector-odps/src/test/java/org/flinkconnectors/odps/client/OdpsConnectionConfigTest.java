package org.flinkconnectors.odps.client;

import org.flinkconnectors.base.retry.RetryPolicy;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.util.InstantiationUtil;

import com.aliyun.odps.Odps;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.account.StsAccount;
import com.aliyun.odps.rest.RestClient;
import com.aliyun.odps.tunnel.TableTunnel;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building, validating and using the connection settings; secrets never leak. */
class OdpsConnectionConfigTest {

    private static final String ENDPOINT = "http://service.cn-hangzhou.maxcompute.aliyun.com/api";
    private static final String ACCESS_ID = "LTAI-test-id";
    private static final String ACCESS_KEY = "s3cr3t-Access-Key-5ecret";
    private static final String STS_TOKEN = "CAIS-sts-Token-t0ken";

    private static OdpsConnectionConfig.Builder complete() {
        return OdpsConnectionConfig.builder()
                .endpoint(ENDPOINT)
                .project("proj")
                .accessId(ACCESS_ID)
                .accessKey(ACCESS_KEY);
    }

    private static Configuration options(Consumer<Map<String, String>> changes) {
        Map<String, String> options = new HashMap<>();
        options.put("endpoint", ENDPOINT);
        options.put("project", "proj");
        changes.accept(options);
        return Configuration.fromMap(options);
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(ACCESS_KEY).doesNotContain(STS_TOKEN);
    }

    private static ValidationException validationError(
            Configuration options, Map<String, String> environment) {
        try {
            OdpsConnectionConfig.fromOptions(options, environment);
        } catch (ValidationException e) {
            assertNoSecret(e.getMessage());
            return e;
        }
        throw new AssertionError("expected a ValidationException");
    }

    // ------------------------------------------------------------------------------------------
    // Builder
    // ------------------------------------------------------------------------------------------

    @Test
    void builderKeepsEveryFieldAndAppliesDefaults() {
        OdpsConnectionConfig config =
                complete().schema("sch").tunnelEndpoint("http://dt.example.com").build();

        assertThat(config.endpoint()).isEqualTo(ENDPOINT);
        assertThat(config.project()).isEqualTo("proj");
        assertThat(config.schema()).contains("sch");
        assertThat(config.tunnelEndpoint()).contains("http://dt.example.com");
        assertThat(config.accessId()).isEqualTo(ACCESS_ID);
        assertThat(config.usesStsToken()).isFalse();
        assertThat(config.maxRetries()).isEqualTo(5);
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void blankOptionalFieldsAreAbsent() {
        OdpsConnectionConfig config =
                complete().schema(" ").tunnelEndpoint("").stsToken("").build();

        assertThat(config.schema()).isEmpty();
        assertThat(config.tunnelEndpoint()).isEmpty();
        assertThat(config.usesStsToken()).isFalse();
    }

    @Test
    void buildNamesTheMissingSetting() {
        assertThatThrownBy(() -> complete().endpoint(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'endpoint'");
        assertThatThrownBy(() -> complete().project(" ").build()).hasMessageContaining("'project'");
        assertThatThrownBy(() -> complete().accessId(null).build())
                .hasMessageContaining("'access-id'");
        assertThatThrownBy(() -> complete().accessKey(null).stsToken(STS_TOKEN).build())
                .hasMessageContaining("'access-key'")
                .satisfies(e -> assertNoSecret(e.getMessage()));
    }

    @Test
    void buildRejectsInvalidValues() {
        assertThatThrownBy(() -> complete().endpoint("service.maxcompute.aliyun.com").build())
                .hasMessageContaining("'endpoint'")
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> complete().tunnelEndpoint("ftp://dt.example.com").build())
                .hasMessageContaining("'tunnel-endpoint'");
        assertThatThrownBy(() -> complete().maxRetries(-1).build())
                .hasMessageContaining("'client.max-retries'");
        assertThatThrownBy(() -> complete().retryBackoff(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("'client.retry-backoff'");
        assertThatThrownBy(() -> complete().timeout(Duration.ZERO).build())
                .hasMessageContaining("'client.timeout'");
    }

    @Test
    void anEndpointWithUserInfoIsRejectedWithoutEchoingIt() {
        String endpoint = "http://someone:" + ACCESS_KEY + "@service.example.com/api";
        assertThatThrownBy(() -> complete().endpoint(endpoint).build())
                .hasMessageContaining("'endpoint'")
                .satisfies(e -> assertNoSecret(e.getMessage()));
        assertThatThrownBy(() -> complete().endpoint("http://a:" + ACCESS_KEY + "@h^st/").build())
                .hasMessageContaining("'endpoint'")
                .satisfies(e -> assertNoSecret(e.getMessage()));
    }

    // ------------------------------------------------------------------------------------------
    // Secrets, equality, serialization
    // ------------------------------------------------------------------------------------------

    @Test
    void toStringShowsWhereButNotTheSecrets() {
        OdpsConnectionConfig config = complete().schema("sch").stsToken(STS_TOKEN).build();

        assertThat(config.toString())
                .contains(ENDPOINT, "proj", "sch", ACCESS_ID, "accessKey=******")
                .contains("stsToken=******");
        assertNoSecret(config.toString());
        assertThat(complete().build().toString()).contains("stsToken=none");
    }

    @Test
    void equalityCoversTheSecretsButTheHashDoesNotNeedThem() {
        OdpsConnectionConfig a = complete().build();
        OdpsConnectionConfig b = complete().build();
        OdpsConnectionConfig otherKey = complete().accessKey("another").build();
        OdpsConnectionConfig withToken = complete().stsToken(STS_TOKEN).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(otherKey).isNotEqualTo(withToken);
        assertThat(a.hashCode()).isEqualTo(otherKey.hashCode());
        assertThat(a).isNotEqualTo(complete().schema("s").build());
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        OdpsConnectionConfig config =
                complete()
                        .schema("sch")
                        .stsToken(STS_TOKEN)
                        .tunnelEndpoint("http://dt.example.com")
                        .timeout(Duration.ofSeconds(7))
                        .build();

        OdpsConnectionConfig copy =
                InstantiationUtil.deserializeObject(
                        InstantiationUtil.serializeObject(config), getClass().getClassLoader());

        assertThat(copy).isEqualTo(config);
    }

    // ------------------------------------------------------------------------------------------
    // Options and environment
    // ------------------------------------------------------------------------------------------

    @Test
    void credentialsFromOptions() {
        OdpsConnectionConfig config =
                OdpsConnectionConfig.fromOptions(
                        options(
                                o -> {
                                    o.put("access-id", ACCESS_ID);
                                    o.put("access-key", ACCESS_KEY);
                                    o.put("schema", "sch");
                                    o.put("tunnel-endpoint", "http://dt.example.com");
                                    o.put("client.max-retries", "2");
                                    o.put("client.retry-backoff", "3 s");
                                    o.put("client.timeout", "45 s");
                                }),
                        Map.of(
                                "ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id",
                                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret",
                                "ALIBABA_CLOUD_SECURITY_TOKEN", "env-token"));

        assertThat(config)
                .isEqualTo(
                        complete()
                                .schema("sch")
                                .tunnelEndpoint("http://dt.example.com")
                                .maxRetries(2)
                                .retryBackoff(Duration.ofSeconds(3))
                                .timeout(Duration.ofSeconds(45))
                                .build());
        // Options win as a whole: the environment's token is not paired with the options' key.
        assertThat(config.usesStsToken()).isFalse();
    }

    @Test
    void credentialsFallBackToTheEnvironment() {
        OdpsConnectionConfig config =
                OdpsConnectionConfig.fromOptions(
                        options(o -> {}),
                        Map.of(
                                "ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_ID,
                                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY,
                                "ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN));

        assertThat(config).isEqualTo(complete().stsToken(STS_TOKEN).build());
        assertNoSecret(config.toString());
    }

    @Test
    void environmentWithoutTokenGivesLongTermCredentials() {
        OdpsConnectionConfig config =
                OdpsConnectionConfig.fromOptions(
                        options(o -> {}),
                        Map.of(
                                "ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_ID,
                                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY,
                                "ALIBABA_CLOUD_SECURITY_TOKEN", " "));

        assertThat(config).isEqualTo(complete().build());
    }

    @Test
    void missingCredentialsNameBothTheOptionAndTheEnvironmentVariable() {
        ValidationException none = validationError(options(o -> {}), Map.of());
        assertThat(none.getMessage())
                .contains("'access-id'", "'access-key'", "'sts-token'")
                .contains(
                        "ALIBABA_CLOUD_ACCESS_KEY_ID",
                        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                        "ALIBABA_CLOUD_SECURITY_TOKEN");

        ValidationException noSecret =
                validationError(
                        options(o -> {}),
                        Map.of(
                                "ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_ID,
                                "ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN));
        assertThat(noSecret.getMessage())
                .endsWith("Missing: access-key / ALIBABA_CLOUD_ACCESS_KEY_SECRET.");
    }

    @Test
    void optionsAndEnvironmentAreNeverMixed() {
        Map<String, String> environment =
                Map.of(
                        "ALIBABA_CLOUD_ACCESS_KEY_ID",
                        "env-id",
                        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                        ACCESS_KEY);

        ValidationException idOnly =
                validationError(options(o -> o.put("access-id", ACCESS_ID)), environment);
        assertThat(idOnly.getMessage())
                .contains("'access-key' is missing", "ALIBABA_CLOUD_ACCESS_KEY_SECRET");

        ValidationException keyOnly =
                validationError(options(o -> o.put("access-key", ACCESS_KEY)), environment);
        assertThat(keyOnly.getMessage())
                .contains("'access-id' is missing", "ALIBABA_CLOUD_ACCESS_KEY_ID");

        ValidationException tokenOnly =
                validationError(options(o -> o.put("sts-token", STS_TOKEN)), environment);
        assertThat(tokenOnly.getMessage())
                .contains("'sts-token'", "'access-id'", "'access-key'")
                .contains("ALIBABA_CLOUD_SECURITY_TOKEN");
    }

    @Test
    void invalidOptionsBecomeValidationExceptions() {
        Map<String, String> environment =
                Map.of(
                        "ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_ID,
                        "ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY,
                        "ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN);

        assertThat(validationError(options(o -> o.remove("endpoint")), environment))
                .hasMessageContaining("'endpoint'");
        assertThat(validationError(options(o -> o.remove("project")), environment))
                .hasMessageContaining("'project'");
        assertThat(validationError(options(o -> o.put("client.max-retries", "-3")), environment))
                .hasMessageContaining("'client.max-retries'");
        assertThat(validationError(options(o -> o.put("endpoint", "not a url")), environment))
                .hasMessageContaining("'endpoint'");
    }

    @Test
    void processEnvironmentOverloadUsesOptionCredentials() {
        OdpsConnectionConfig config =
                OdpsConnectionConfig.fromOptions(
                        options(
                                o -> {
                                    o.put("access-id", ACCESS_ID);
                                    o.put("access-key", ACCESS_KEY);
                                }));

        assertThat(config).isEqualTo(complete().build());
    }

    // ------------------------------------------------------------------------------------------
    // SDK clients
    // ------------------------------------------------------------------------------------------

    @Test
    void createOdpsConfiguresAccountEndpointProjectSchemaAndHttp() {
        OdpsConnectionConfig config =
                complete()
                        .schema("sch")
                        .maxRetries(2)
                        .retryBackoff(Duration.ofMillis(1500))
                        .timeout(Duration.ofSeconds(30))
                        .build();

        Odps odps = config.createOdps();

        assertThat(odps.getAccount()).isExactlyInstanceOf(AliyunAccount.class);
        AliyunAccount account = (AliyunAccount) odps.getAccount();
        assertThat(account.getAccessId()).isEqualTo(ACCESS_ID);
        assertThat(account.getAccessKey()).isEqualTo(ACCESS_KEY);
        assertThat(odps.getEndpoint()).isEqualTo(ENDPOINT);
        assertThat(odps.getDefaultProject()).isEqualTo("proj");
        assertThat(odps.getCurrentSchema()).isEqualTo("sch");
        RestClient client = odps.getRestClient();
        assertThat(client.getConnectTimeout()).isEqualTo(30);
        assertThat(client.getReadTimeout()).isEqualTo(30);
        assertThat(client.getRetryTimes()).isEqualTo(2);
        assertThat(client.getRetryWaitTime()).isEqualTo(2);
    }

    @Test
    void createOdpsUsesStsCredentialsWhenATokenIsSet() {
        Odps odps = complete().stsToken(STS_TOKEN).build().createOdps();

        assertThat(odps.getAccount()).isInstanceOf(StsAccount.class);
        assertThat(odps.getAccount().getCredentials().getSecurityToken()).isEqualTo(STS_TOKEN);
        assertThat(odps.getCurrentSchema()).isNull();
    }

    @Test
    void createTableTunnelUsesTheConfiguredEndpointAndTimeouts() throws Exception {
        OdpsConnectionConfig config =
                complete()
                        .tunnelEndpoint("http://dt.cn-hangzhou.maxcompute.aliyun.com")
                        .maxRetries(3)
                        .timeout(Duration.ofSeconds(40))
                        .build();

        TableTunnel tunnel = config.createTableTunnel(config.createOdps());

        assertThat(tunnel.getConfig().getEndpoint("proj"))
                .isEqualTo(URI.create("http://dt.cn-hangzhou.maxcompute.aliyun.com"));
        assertThat(tunnel.getConfig().getSocketConnectTimeout()).isEqualTo(40);
        assertThat(tunnel.getConfig().getSocketTimeout()).isEqualTo(40);
        assertThat(tunnel.getConfig().getSocketRetryTimes()).isEqualTo(3);
    }

    @Test
    void retryPolicyFollowsTheClientOptions() {
        RetryPolicy policy =
                complete().maxRetries(4).retryBackoff(Duration.ofMillis(200)).build().retryPolicy();

        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.backoffAfter(20)).isEqualTo(Duration.ofSeconds(30));

        RetryPolicy slow = complete().retryBackoff(Duration.ofMinutes(2)).build().retryPolicy();
        assertThat(slow.backoffAfter(3)).isEqualTo(Duration.ofMinutes(2));
        assertThat(complete().maxRetries(0).build().retryPolicy().maxAttempts()).isEqualTo(1);
    }

    @Test
    void durationsRoundUpToWholeSecondsOfAtLeastOne() {
        assertThat(OdpsConnectionConfig.toSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(OdpsConnectionConfig.toSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(OdpsConnectionConfig.toSeconds(Duration.ofSeconds(2))).isEqualTo(2);
        assertThat(OdpsConnectionConfig.toSeconds(Duration.ofMillis(2001))).isEqualTo(3);
        assertThat(OdpsConnectionConfig.toSeconds(Duration.ofDays(100_000)))
                .isEqualTo(Integer.MAX_VALUE);
    }
}
