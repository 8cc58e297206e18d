package dev.spalce.gateway.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;

/** The dashboard's backend for the browser ({@code spalce.dashboard.*}). */
@ConfigMapping(prefix = "spalce.dashboard")
public interface DashboardConfig {

    /** The dashboard's OIDC client id (authorization code flow). */
    String clientId();

    /** The dashboard's OIDC client secret. */
    String clientSecret();

    /**
     * At least 32 characters: encrypts the session cookie and the code flow's state (with the PKCE verifier), and
     * keys the CSRF tokens.
     */
    String sessionSecret();

    /**
     * Where the dashboard's calls reach the gateway's own JSON API, with the session's access token: the gateway's
     * HTTPS port on loopback, its certificate pinned ({@code spalce.tls.certificate}).
     */
    @WithDefault("https://127.0.0.1:${quarkus.http.ssl-port}")
    URI apiUrl();
}
