package org.flinkconnectors.odps.testutils;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the {@code Authorization: ODPS <accessId>:<signature>} header of a request the way
 * MaxCompute does: HMAC-SHA1 with the access key over the method, the signed headers and the
 * resource with its sorted parameters. A wrong or missing signature gets the same error code as the
 * real service.
 */
final class RequestAuthenticator {

    private static final String PREFIX = "x-odps-";

    private final Map<String, String> keysById = new ConcurrentHashMap<>();
    private final Map<String, String> stsTokensById = new ConcurrentHashMap<>();

    void addAccount(String accessId, String accessKey) {
        keysById.put(accessId, accessKey);
    }

    /** Requires requests of this account to carry the STS token. */
    void addStsAccount(String accessId, String accessKey, String stsToken) {
        keysById.put(accessId, accessKey);
        stsTokensById.put(accessId, stsToken);
    }

    void authenticate(ServerRequest request) {
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.startsWith("ODPS ")) {
            throw denied("The request is not signed.");
        }
        String credential = authorization.substring("ODPS ".length());
        int colon = credential.lastIndexOf(':');
        if (colon < 0) {
            throw denied("Malformed Authorization header.");
        }
        String accessId = credential.substring(0, colon);
        String signature = credential.substring(colon + 1);
        String accessKey = keysById.get(accessId);
        if (accessKey == null) {
            throw new ServerException(
                    401, "InvalidAccessKeyId", "The AccessKeyId is not found: " + accessId);
        }
        String expected = sign(canonicalString(request), accessKey);
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8))) {
            throw new ServerException(
                    403,
                    "SignatureNotMatch",
                    "ODPS-0410042:Invalid signature value - User signature dose not match");
        }
        String requiredToken = stsTokensById.get(accessId);
        if (requiredToken != null
                && !requiredToken.equals(request.header("authorization-sts-token"))) {
            throw new ServerException(
                    403, "InvalidSecurityToken", "ODPS-0410051:Invalid credentials - STS token");
        }
    }

    private static ServerException denied(String message) {
        return new ServerException(401, "Unauthorized", message);
    }

    static String canonicalString(ServerRequest request) {
        StringBuilder out = new StringBuilder(request.method()).append('\n');
        TreeMap<String, String> signed = new TreeMap<>();
        signed.put("content-type", "");
        signed.put("content-md5", "");
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            String name = header.getKey();
            if (name.equals("content-type")
                    || name.equals("content-md5")
                    || name.equals("date")
                    || name.startsWith(PREFIX)) {
                signed.put(name, header.getValue());
            }
        }
        for (Map.Entry<String, String> param : request.params().entrySet()) {
            if (param.getKey().startsWith(PREFIX)) {
                signed.put(param.getKey(), param.getValue());
            }
        }
        for (Map.Entry<String, String> entry : signed.entrySet()) {
            if (entry.getKey().startsWith(PREFIX)) {
                out.append(entry.getKey()).append(':');
                if (entry.getValue() != null) {
                    out.append(entry.getValue());
                }
            } else {
                out.append(entry.getValue());
            }
            out.append('\n');
        }
        out.append(request.resource());
        char separator = '?';
        for (Map.Entry<String, String> param : new TreeMap<>(request.params()).entrySet()) {
            out.append(separator).append(param.getKey());
            if (param.getValue() != null && !param.getValue().isEmpty()) {
                out.append('=').append(param.getValue());
            }
            separator = '&';
        }
        return out.toString();
    }

    private static String sign(String canonical, String accessKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(accessKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)))
                    .trim();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "RequestAuthenticator{accounts="
                + keysById.keySet().toString().toLowerCase(Locale.ROOT)
                + "}";
    }
}
