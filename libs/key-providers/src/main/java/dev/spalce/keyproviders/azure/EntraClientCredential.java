package dev.spalce.keyproviders.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * A Microsoft Entra ID token through the OAuth 2.0 client credentials grant at the v2.0 token endpoint
 * ({@code POST {authority host}/{tenant}/oauth2/v2.0/token}), with either a federated token as client assertion
 * (workload identity: the file is read again for every token, as the platform refreshes it) or a client secret.
 * The token is requested in the tenant the Key Vault challenge names when that tenant is allowed, else in the home
 * tenant. The SDK's authentication policy caches the token until shortly before it expires.
 *
 * <p>Requests go through the same HTTP client as Key Vault's (its TLS trust and timeouts). A refusal (4xx) is a
 * {@link ClientAuthenticationException}; throttling or a 5xx an {@link HttpResponseException} with that status.
 */
public final class EntraClientCredential implements TokenCredential {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9.-]{1,128}");

    /** How the application proves its identity: a federated token file, or a client secret. */
    public sealed interface Secret {
        /** A file holding a federated token (a JWT), presented as {@code client_assertion}. */
        record FederatedTokenFile(Path path) implements Secret {}

        /** A client secret. */
        record ClientSecret(String value) implements Secret {
            @Override
            public String toString() {
                return "ClientSecret[redacted]";
            }
        }
    }

    private final HttpClient http;
    private final URI authorityHost;
    private final String homeTenant;
    private final String clientId;
    private final Secret secret;
    private final Set<String> otherTenants;

    /**
     * @param otherTenants tenants besides the home tenant a token may be requested in; {@code *} for any
     */
    public EntraClientCredential(
            HttpClient http,
            URI authorityHost,
            String homeTenant,
            String clientId,
            Secret secret,
            Set<String> otherTenants) {
        this.http = Objects.requireNonNull(http, "http");
        this.authorityHost = Objects.requireNonNull(authorityHost, "authorityHost");
        this.homeTenant = requireTenant(homeTenant);
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.otherTenants = Set.copyOf(otherTenants);
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.defer(() -> {
            String tenant = tenant(request.getTenantId());
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "client_credentials");
            form.put("client_id", clientId);
            form.put("scope", String.join(" ", request.getScopes()));
            if (secret instanceof Secret.FederatedTokenFile file) {
                form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                form.put("client_assertion", readToken(file.path()));
            } else {
                form.put("client_secret", ((Secret.ClientSecret) secret).value());
            }
            String body = form.entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            String base = authorityHost.toString().replaceAll("/+$", "");
            HttpRequest post = new HttpRequest(HttpMethod.POST, base + "/" + tenant + "/oauth2/v2.0/token")
                    .setHeader(HttpHeaderName.CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .setHeader(HttpHeaderName.ACCEPT, "application/json")
                    .setBody(body.getBytes(StandardCharsets.UTF_8));
            return http.send(post)
                    .flatMap(response -> response.getBodyAsByteArray()
                            .defaultIfEmpty(new byte[0])
                            .map(answer -> {
                                int status = response.getStatusCode();
                                if (status == 429 || status >= 500) {
                                    throw new HttpResponseException(
                                            "the Entra ID token endpoint answered " + status, response);
                                }
                                if (status != 200) {
                                    throw new ClientAuthenticationException(
                                            "the Entra ID token endpoint refused client " + clientId + " in tenant "
                                                    + tenant + " (" + status + ": " + error(answer) + ")",
                                            response);
                                }
                                return token(answer);
                            }));
        });
    }

    private String tenant(String requested) {
        if (requested == null || requested.isEmpty() || requested.equals(homeTenant)) {
            return homeTenant;
        }
        if (otherTenants.contains("*") || otherTenants.contains(requested)) {
            return requireTenant(requested);
        }
        throw new ClientAuthenticationException(
                "the vault is in tenant " + requested + ", which is not the home tenant "
                        + "and not in spalce.crypto.azure-kv.auth.additionally-allowed-tenants",
                null);
    }

    private static String requireTenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("an Entra ID tenant is a directory id or a domain name");
        }
        return tenant;
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the federated token file " + file, e);
        }
    }

    private static AccessToken token(byte[] answer) {
        try {
            JsonNode json = JSON.readTree(answer);
            String token = json.path("access_token").asText("");
            if (token.isEmpty()) {
                throw new ClientAuthenticationException(
                        "the Entra ID token endpoint answered without access_token", null);
            }
            return new AccessToken(
                    token,
                    OffsetDateTime.now().plusSeconds(json.path("expires_in").asLong(300)));
        } catch (IOException e) {
            throw new ClientAuthenticationException("the Entra ID token endpoint's answer is not JSON", null, e);
        }
    }

    /** The OAuth error code and description, which never hold a secret. */
    private static String error(byte[] answer) {
        try {
            JsonNode json = JSON.readTree(answer);
            return json.path("error").asText("?") + ": "
                    + json.path("error_description").asText("");
        } catch (IOException | RuntimeException e) {
            return "no OAuth error body";
        }
    }

    @Override
    public String toString() {
        return "EntraClientCredential[" + clientId + " in " + homeTenant + "]";
    }
}
