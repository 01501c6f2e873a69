package org.flinkconnectors.odps.client;

import org.flinkconnectors.odps.table.OdpsConnectorOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

import java.util.Map;

import static org.flinkconnectors.odps.client.OdpsConnectionConfig.blankToNull;
import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ACCESS_ID;
import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ACCESS_KEY;
import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ENV_ACCESS_KEY_ID;
import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ENV_ACCESS_KEY_SECRET;
import static org.flinkconnectors.odps.table.OdpsConnectorOptions.ENV_SECURITY_TOKEN;
import static org.flinkconnectors.odps.table.OdpsConnectorOptions.STS_TOKEN;

/**
 * Reads the connection options of a table or catalog into an {@link OdpsConnectionConfig}, taking
 * the credentials from the environment when the options have none. Kept apart from the config so
 * that the DataStream API path (builder only) never loads Flink's table classes such as {@link
 * ValidationException}.
 */
@Internal
final class ConnectionOptionsReader {

    private ConnectionOptionsReader() {}

    static OdpsConnectionConfig read(ReadableConfig options, Map<String, String> environment) {
        String accessId = blankToNull(options.get(ACCESS_ID));
        String accessKey = blankToNull(options.get(ACCESS_KEY));
        String stsToken = blankToNull(options.get(STS_TOKEN));
        if (accessId == null && accessKey == null) {
            if (stsToken != null) {
                throw new ValidationException(
                        String.format(
                                "Option '%s' is set but '%s' and '%s' are not; an STS token only"
                                        + " works with the access key of the same grant. Set all"
                                        + " three options, or none of them and the environment"
                                        + " variables %s, %s and %s.",
                                STS_TOKEN.key(),
                                ACCESS_ID.key(),
                                ACCESS_KEY.key(),
                                ENV_ACCESS_KEY_ID,
                                ENV_ACCESS_KEY_SECRET,
                                ENV_SECURITY_TOKEN));
            }
            accessId = blankToNull(environment.get(ENV_ACCESS_KEY_ID));
            accessKey = blankToNull(environment.get(ENV_ACCESS_KEY_SECRET));
            stsToken = blankToNull(environment.get(ENV_SECURITY_TOKEN));
            if (accessId == null || accessKey == null) {
                throw new ValidationException(
                        String.format(
                                "No MaxCompute credentials: set the options '%s' and '%s' (and"
                                        + " '%s' for STS credentials), or the environment"
                                        + " variables %s and %s (and %s). Missing: %s.",
                                ACCESS_ID.key(),
                                ACCESS_KEY.key(),
                                STS_TOKEN.key(),
                                ENV_ACCESS_KEY_ID,
                                ENV_ACCESS_KEY_SECRET,
                                ENV_SECURITY_TOKEN,
                                accessId == null
                                        ? ACCESS_ID.key() + " / " + ENV_ACCESS_KEY_ID
                                        : ACCESS_KEY.key() + " / " + ENV_ACCESS_KEY_SECRET));
            }
        } else if (accessId == null || accessKey == null) {
            String missing = accessId == null ? ACCESS_ID.key() : ACCESS_KEY.key();
            String present = accessId == null ? ACCESS_KEY.key() : ACCESS_ID.key();
            String missingEnv = accessId == null ? ENV_ACCESS_KEY_ID : ENV_ACCESS_KEY_SECRET;
            throw new ValidationException(
                    String.format(
                            "Option '%s' is missing. '%s' is set, so the credentials come from the"
                                    + " options only and the environment variable %s is not"
                                    + " used.",
                            missing, present, missingEnv));
        }

        try {
            return OdpsConnectionConfig.builder()
                    .endpoint(options.get(OdpsConnectorOptions.ENDPOINT))
                    .tunnelEndpoint(options.get(OdpsConnectorOptions.TUNNEL_ENDPOINT))
                    .project(options.get(OdpsConnectorOptions.PROJECT))
                    .schema(options.get(OdpsConnectorOptions.SCHEMA))
                    .accessId(accessId)
                    .accessKey(accessKey)
                    .stsToken(stsToken)
                    .maxRetries(options.get(OdpsConnectorOptions.CLIENT_MAX_RETRIES))
                    .retryBackoff(options.get(OdpsConnectorOptions.CLIENT_RETRY_BACKOFF))
                    .timeout(options.get(OdpsConnectorOptions.CLIENT_TIMEOUT))
                    .build();
        } catch (IllegalArgumentException e) {
            // build() names the option in its message and never includes a secret.
            throw new ValidationException(e.getMessage());
        }
    }
}
