package dev.spalce.keyproviders.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** How the vault-transit provider gets the Vault token it sends as {@code X-Vault-Token}. */
public interface VaultAuth {

    /** The token to send now (may log in first). */
    String token(VaultHttp http);

    /**
     * Vault answered 403 to a request made with {@code token}. Returns true if a retry may succeed with another
     * token (a login token that may have expired), false if the denial is final.
     */
    boolean denied(String token);

    /** A fixed token (method {@code token}): a denial is final. */
    static VaultAuth token(String token) {
        Objects.requireNonNull(token, "token");
        return new VaultAuth() {
            @Override
            public String token(VaultHttp http) {
                return token;
            }

            @Override
            public boolean denied(String used) {
                return false;
            }
        };
    }

    /**
     * Kubernetes auth: logs in at {@code auth/<mount>/login} with the role and the pod's service account token
     * (read anew at every login: Kubernetes rotates projected tokens), and keeps Vault's token until 80% of its
     * lease has passed.
     */
    static VaultAuth kubernetes(String mount, String role, Path serviceAccountToken, Clock clock) {
        return new KubernetesLogin(mount, role, serviceAccountToken, clock);
    }

    /** Kubernetes login with a cached token. */
    final class KubernetesLogin implements VaultAuth {
        private final String mount;
        private final String role;
        private final Path serviceAccountToken;
        private final Clock clock;
        private String token;
        private Instant renewAt = Instant.MIN;

        KubernetesLogin(String mount, String role, Path serviceAccountToken, Clock clock) {
            this.mount = Objects.requireNonNull(mount, "mount");
            this.role = Objects.requireNonNull(role, "role");
            this.serviceAccountToken = Objects.requireNonNull(serviceAccountToken, "serviceAccountToken");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        @Override
        public synchronized String token(VaultHttp http) {
            if (token == null || !clock.instant().isBefore(renewAt)) {
                login(http);
            }
            return token;
        }

        @Override
        public synchronized boolean denied(String used) {
            // A token that Vault refuses may have been revoked or expired early: log in again, once per token.
            if (used.equals(token)) {
                token = null;
                return true;
            }
            return false;
        }

        private void login(VaultHttp http) {
            String jwt;
            try {
                jwt = Files.readString(serviceAccountToken, StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the service account token for Vault's Kubernetes login", e);
            }
            com.fasterxml.jackson.databind.node.ObjectNode body =
                    VaultHttp.JSON.createObjectNode().put("role", role).put("jwt", jwt);
            com.fasterxml.jackson.databind.JsonNode auth = http.post("auth/" + mount + "/login", body, Optional.empty())
                    .path("auth");
            String issued = auth.path("client_token").asText(null);
            if (issued == null || issued.isEmpty()) {
                throw new VaultHttp.VaultException(502, java.util.List.of("the Kubernetes login returned no token"));
            }
            token = issued;
            long lease = auth.path("lease_duration").asLong(0);
            renewAt = clock.instant().plus(Duration.ofSeconds(Math.max(1, lease * 8 / 10)));
        }
    }
}
