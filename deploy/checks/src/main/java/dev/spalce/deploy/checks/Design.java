package dev.spalce.deploy.checks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the design says the deployment must provide, written once for every check: the services, their
 * ports, the flows between them, and the configuration each reads from its environment (the services'
 * application.properties and service-kit's microprofile-config.properties).
 */
public final class Design {

    private Design() {
    }

    public static final String GATEWAY = "auth-gateway";
    public static final String EVIDENCE = "evidence-service";
    public static final String CRYPTO = "crypto-service";
    public static final String REWRAP = "rewrap-worker";
    public static final String AUDIT = "audit-log-service";

    public static final List<String> SERVICES = List.of(GATEWAY, EVIDENCE, CRYPTO, REWRAP, AUDIT);

    /** The management port: health and metrics in the prod profile. */
    public static final int MANAGEMENT_PORT = 9000;

    /** Each service's API port in its container. */
    public static final Map<String, Integer> API_PORT = Map.of(
            GATEWAY, 8443, EVIDENCE, 8080, CRYPTO, 8080, REWRAP, 8080, AUDIT, 8080);

    /** Service-to-service HTTP calls, and nothing else. */
    public static final Map<String, Set<String>> CALLS = Map.of(
            GATEWAY, Set.of(EVIDENCE, CRYPTO, REWRAP, AUDIT),
            EVIDENCE, Set.of(CRYPTO),
            CRYPTO, Set.of(),
            REWRAP, Set.of(EVIDENCE, CRYPTO),
            AUDIT, Set.of());

    /** The services that call AWS APIs with a role of their own. */
    public static final Set<String> AWS_ROLE = Set.of(CRYPTO, EVIDENCE);

    /** Configuration every service needs from its environment. */
    public static final Set<String> COMMON_ENV = Set.of(
            "SPALCE_DB_HOST", "SPALCE_DB_PORT", "SPALCE_DB_NAME", "SPALCE_DB_ADMIN_USER", "SPALCE_DB_ADMIN_PASSWORD",
            "SPALCE_DB_APP_PASSWORD", "SPALCE_KAFKA_BOOTSTRAP", "SPALCE_OIDC_ISSUER", "SPALCE_OIDC_SERVICE_SECRET");

    /** Configuration each service needs beyond the common one. */
    public static final Map<String, Set<String>> SERVICE_ENV = Map.of(
            GATEWAY, Set.of("SPALCE_SERVICES_EVIDENCE_URL", "SPALCE_SERVICES_CRYPTO_URL", "SPALCE_SERVICES_REWRAP_URL",
                    "SPALCE_SERVICES_AUDIT_URL", "QUARKUS_HTTP_SSL_PORT", "QUARKUS_HTTP_SSL_CERTIFICATE_FILES",
                    "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", "QUARKUS_HTTP_INSECURE_REQUESTS"),
            EVIDENCE, Set.of("SPALCE_SERVICES_CRYPTO_URL", "SPALCE_S3_BUCKET", "AWS_REGION", "QUARKUS_HTTP_PORT"),
            CRYPTO, Set.of("AWS_REGION", "QUARKUS_HTTP_PORT", "SPALCE_CRYPTO_LOCAL_ENABLED"),
            REWRAP, Set.of("SPALCE_SERVICES_EVIDENCE_URL", "SPALCE_SERVICES_CRYPTO_URL", "QUARKUS_HTTP_PORT"),
            AUDIT, Set.of("SPALCE_AUDIT_CHECKPOINT_PRIVATE_KEY", "SPALCE_AUDIT_CHECKPOINT_PUBLIC_KEY",
                    "QUARKUS_HTTP_PORT"));

    /** Environment variables that carry a secret, by name. */
    public static final Pattern SECRET_NAME = Pattern.compile(
            ".*(PASSWORD|SECRET|PRIVATE_KEY|TOKEN|CREDENTIAL|PASSPHRASE|_PIN$|ACCESS_KEY).*");

    /** The gateway's TLS settings in production (standard Quarkus keys). */
    public static final Map<String, String> GATEWAY_TLS_ENV = Map.of(
            "QUARKUS_HTTP_SSL_PORT", "8443",
            "QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "/etc/spalce/tls/tls.crt",
            "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", "/etc/spalce/tls/tls.key",
            "QUARKUS_HTTP_INSECURE_REQUESTS", "disabled");

    /** rewrap-worker's Kafka input, on which it is scaled. */
    public static final String KEYS_TOPIC = "spalce.keys.v1";
    public static final String REWRAP_GROUP = "rewrap-worker";

    /** The non-root user of the images. */
    public static final long APP_UID = 185;
}
