package dev.spalce.deploy.checks;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the design says the deployment must provide, written once for every check: the services, their
 * ports, the flows between them, and the configuration each reads from its environment (the services'
 * application.properties and service-kit's microprofile-config.properties).
 */
public final class Design {

    private Design() {}

    public static final String GATEWAY = "auth-gateway";
    public static final String EVIDENCE = "evidence-service";
    public static final String CRYPTO = "crypto-service";
    public static final String REWRAP = "rewrap-worker";
    public static final String AUDIT = "audit-log-service";

    public static final List<String> SERVICES = List.of(GATEWAY, EVIDENCE, CRYPTO, REWRAP, AUDIT);

    /**
     * The numeric user and group every service runs as: its image's user, and the runAsUser and runAsGroup of
     * its pods and ECS tasks. Numeric, so that Kubernetes' runAsNonRoot can verify it without /etc/passwd.
     */
    public static final int SERVICE_UID = 185;

    /** The management port: health and metrics in the prod profile. */
    public static final int MANAGEMENT_PORT = 9000;

    /** Each service's API port in its container. */
    public static final Map<String, Integer> API_PORT =
            Map.of(GATEWAY, 8443, EVIDENCE, 8080, CRYPTO, 8080, REWRAP, 8080, AUDIT, 8080);

    /** Service-to-service HTTP calls, and nothing else. */
    public static final Map<String, Set<String>> CALLS = Map.of(
            GATEWAY, Set.of(EVIDENCE, CRYPTO, REWRAP, AUDIT),
            EVIDENCE, Set.of(CRYPTO, AUDIT),
            CRYPTO, Set.of(),
            REWRAP, Set.of(EVIDENCE, CRYPTO),
            AUDIT, Set.of());

    /** The services that call AWS APIs with a role of their own. */
    public static final Set<String> AWS_ROLE = Set.of(CRYPTO, EVIDENCE, AUDIT);

    /**
     * What each service's role grants (ECS task role and IRSA role alike), and nothing more. crypto-service:
     * what its aws-kms provider calls on the customers' keys. evidence-service: what BlobStore calls on its
     * bucket's objects (multipart uploads are s3:PutObject, and s3:AbortMultipartUpload on every failed one),
     * and the bucket key through S3 (SSE-KMS, not an SDK call of its own). audit-log-service: the anchor
     * bucket's checkpoints, written and read back, and its key through S3.
     */
    public static final Map<String, Set<String>> AWS_ACTIONS = Map.of(
            CRYPTO,
                    Set.of(
                            "kms:Encrypt",
                            "kms:Decrypt",
                            "kms:ReEncryptFrom",
                            "kms:ReEncryptTo",
                            "kms:DescribeKey",
                            "kms:ListKeyRotations",
                            "kms:RotateKeyOnDemand"),
            EVIDENCE,
                    Set.of(
                            "s3:PutObject",
                            "s3:GetObject",
                            "s3:DeleteObject",
                            "s3:AbortMultipartUpload",
                            "s3:ListBucket",
                            "kms:GenerateDataKey",
                            "kms:Decrypt"),
            AUDIT, Set.of("s3:PutObject", "s3:GetObject", "s3:ListBucket", "kms:GenerateDataKey", "kms:Decrypt"));

    /** Configuration every service needs from its environment. */
    public static final Set<String> COMMON_ENV = Set.of(
            "SPALCE_DB_HOST",
            "SPALCE_DB_PORT",
            "SPALCE_DB_NAME",
            "SPALCE_DB_APP_PASSWORD",
            "SPALCE_DB_CA_CERTIFICATE",
            "SPALCE_KAFKA_BOOTSTRAP",
            "SPALCE_OIDC_ISSUER",
            "SPALCE_OIDC_SERVICE_SECRET",
            "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY",
            "SPALCE_INTERNAL_TLS_CERT",
            "SPALCE_INTERNAL_TLS_KEY",
            "SPALCE_INTERNAL_TLS_CA");

    /**
     * The migration role's credential: only the one-off migration task or Job (the service's image with
     * QUARKUS_INIT_AND_EXIT=true) is given it, never a long-running service.
     */
    public static final Set<String> MIGRATION_ONLY_ENV = Set.of("SPALCE_DB_ADMIN_USER", "SPALCE_DB_ADMIN_PASSWORD");

    /** The Secrets Manager secret of the migration role's credential on Kubernetes (JSON keys username, password). */
    public static final String DB_ADMIN_SECRET = "spalce/db-admin";

    /** Where each service's internal mutual-TLS key pair and the internal CA are mounted (read-only; PEM). */
    public static final String INTERNAL_TLS_DIR = "/etc/spalce/internal-tls";

    public static final Map<String, String> INTERNAL_TLS_ENV = Map.of(
            "SPALCE_INTERNAL_TLS_CERT", INTERNAL_TLS_DIR + "/tls.crt",
            "SPALCE_INTERNAL_TLS_KEY", INTERNAL_TLS_DIR + "/tls.key",
            "SPALCE_INTERNAL_TLS_CA", INTERNAL_TLS_DIR + "/ca.crt");

    /** Where audit-log-service's checkpoint signing key is mounted (read-only; PEM). */
    public static final String AUDIT_SIGNING_DIR = "/etc/spalce/audit-signing";

    /** Configuration each service needs beyond the common one. */
    public static final Map<String, Set<String>> SERVICE_ENV = Map.of(
            GATEWAY,
                    Set.of(
                            "SPALCE_SERVICES_EVIDENCE_URL",
                            "SPALCE_SERVICES_CRYPTO_URL",
                            "SPALCE_SERVICES_REWRAP_URL",
                            "SPALCE_SERVICES_AUDIT_URL",
                            "QUARKUS_HTTP_SSL_PORT",
                            "SPALCE_TLS_CERTIFICATE",
                            "SPALCE_TLS_KEY",
                            "QUARKUS_HTTP_INSECURE_REQUESTS",
                            "SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY"),
            EVIDENCE,
                    Set.of(
                            "SPALCE_SERVICES_CRYPTO_URL",
                            "SPALCE_SERVICES_AUDIT_URL",
                            "SPALCE_S3_BUCKET",
                            "SPALCE_S3_REGION",
                            "AWS_REGION",
                            "SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION",
                            "SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY",
                            "SPALCE_EVIDENCE_EXPORT_SIGNING_KEY",
                            "SPALCE_PERSONNEL_BLIND_INDEX_KEY",
                            "QUARKUS_HTTP_PORT"),
            CRYPTO,
                    Set.of(
                            "AWS_REGION",
                            "QUARKUS_HTTP_PORT",
                            "SPALCE_CRYPTO_LOCAL_ENABLED",
                            "SPALCE_CRYPTO_AWS_KMS_ENABLED"),
            REWRAP, Set.of("SPALCE_SERVICES_EVIDENCE_URL", "SPALCE_SERVICES_CRYPTO_URL", "QUARKUS_HTTP_PORT"),
            AUDIT, Set.of("SPALCE_AUDIT_ANCHOR_BUCKET", "SPALCE_AUDIT_SIGNING_KEY_FILE", "QUARKUS_HTTP_PORT"));

    /**
     * Configuration that must have one source for every service: each of them reads it from the same place
     * (the same Secrets Manager secret and JSON key), so that no service can be given another value. The
     * internal services verify the gateway's internal tokens with the public key whose private half signs them.
     */
    public static final Set<String> SHARED_ENV = Set.of("SPALCE_INTERNAL_TOKEN_PUBLIC_KEY");

    /**
     * Secrets only one service may be given (name -> that service): the gateway's key that signs the internal
     * tokens, evidence-service's keys that sign download URLs and export manifests and its blind-index key. (audit-log-service's
     * checkpoint signing key is a file, SPALCE_AUDIT_SIGNING_KEY_FILE, mounted into it alone.)
     */
    public static final Map<String, String> ONLY_ENV = Map.of(
            "SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY", GATEWAY,
            "SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY", EVIDENCE,
            "SPALCE_EVIDENCE_EXPORT_SIGNING_KEY", EVIDENCE,
            "SPALCE_PERSONNEL_BLIND_INDEX_KEY", EVIDENCE);

    /**
     * Settings whose production value is fixed (service -> name -> value). evidence-service requests no
     * server-side encryption of its own ("none": no header), so that the bucket's default applies, SSE-KMS with
     * the evidence key: its default, AES256, would store the objects under S3's key instead. crypto-service's
     * local keystore is refused in prod.
     */
    public static final Map<String, Map<String, String>> FIXED_ENV = Map.of(
            EVIDENCE, Map.of("SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION", "none"),
            CRYPTO, Map.of("SPALCE_CRYPTO_LOCAL_ENABLED", "false"));

    /** Settings that must name the same value as another of the same service (name -> the other's name). */
    public static final Map<String, String> SAME_AS_ENV = Map.of("SPALCE_S3_REGION", "AWS_REGION");

    /**
     * The largest request body the gateway accepts (quarkus.http.limits.max-body-size=2049M: evidence uploads
     * stream through it, up to evidence-service's 2 GiB); the way in must not cap bodies below it.
     */
    public static final long GATEWAY_MAX_BODY_BYTES = 2049L * 1024 * 1024;

    /**
     * The shortest idle timeout, in seconds, the way in may have: a large upload or download, or the wait
     * while evidence-service completes a multipart upload after the last byte, must not be cut at 60 s.
     */
    public static final int MIN_IDLE_TIMEOUT_SECONDS = 300;

    /**
     * Environment variables that carry a secret, by name. SPALCE_INTERNAL_TOKEN_PUBLIC_KEY matches (TOKEN) though
     * it is a public key: it comes from Secrets Manager like a secret, which is also what gives all five
     * services one value (SHARED_ENV).
     */
    public static final Pattern SECRET_NAME = Pattern.compile(
            ".*(PASSWORD|SECRET|PRIVATE_KEY|TOKEN|CREDENTIAL|PASSPHRASE|_PIN$|ACCESS_KEY|SIGNING_KEY|BLIND_INDEX_KEY).*");

    /** Where the gateway's TLS key pair is mounted (read-only; PEM files). */
    public static final String TLS_DIR = "/etc/spalce/tls";

    /** The gateway's TLS settings in production: HTTPS on 8443 only, the key pair's files. */
    public static final Map<String, String> GATEWAY_TLS_ENV = Map.of(
            "QUARKUS_HTTP_SSL_PORT",
            "8443",
            "SPALCE_TLS_CERTIFICATE",
            TLS_DIR + "/tls.crt",
            "SPALCE_TLS_KEY",
            TLS_DIR + "/tls.key",
            "QUARKUS_HTTP_INSECURE_REQUESTS",
            "disabled");

    /** Where every service finds the RDS CA bundle (read-only; public, never in the image). */
    public static final String DB_CA_DIR = "/etc/spalce/db-ca";

    /**
     * The file settings every service needs: the CA bundle that verifies PostgreSQL's certificate
     * ({@code verify-full}, reactive and JDBC, in the prod profile).
     */
    public static final Map<String, String> DB_CA_ENV = Map.of("SPALCE_DB_CA_CERTIFICATE", DB_CA_DIR + "/rds-ca.pem");

    /**
     * The directories a service reads mounted files from: volumes of its image, owned by {@link #SERVICE_UID},
     * that its pod and its ECS task mount (ECS's files-init container writes them from Secrets Manager).
     */
    public static Set<String> mountedDirectories(String service) {
        Set<String> directories = new TreeSet<>(List.of(DB_CA_DIR, INTERNAL_TLS_DIR));
        if (service.equals(GATEWAY)) {
            directories.add(TLS_DIR);
        }
        if (service.equals(AUDIT)) {
            directories.add(AUDIT_SIGNING_DIR);
        }
        return Collections.unmodifiableSet(directories);
    }

    /** The Quarkus keys the gateway used to read its key pair from, replaced by SPALCE_TLS_*: never set them. */
    public static final Set<String> RETIRED_ENV =
            Set.of("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES");

    /** rewrap-worker's Kafka input, on which it is scaled. */
    public static final String KEYS_TOPIC = "spalce.keys.v1";

    public static final String REWRAP_GROUP = "rewrap-worker";

    /** The non-root user of the images. */
    public static final long APP_UID = 185;
}
