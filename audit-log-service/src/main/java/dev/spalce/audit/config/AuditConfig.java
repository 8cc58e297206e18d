package dev.spalce.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

@ConfigMapping(prefix = "spalce.audit")
public interface AuditConfig {

    /** Signed checkpoints over each workspace's chain head. */
    Checkpoint checkpoint();

    /** The key checkpoints are signed with, and the older keys still trusted (docs/audit-log.md §3). */
    Signing signing();

    /** Where every signed checkpoint is also written, outside the database (docs/audit-log.md §3a). */
    Anchor anchor();

    /**
     * Service identities that may seal a deleted workspace's chain: the gateway's, which deletes workspaces
     * (docs/deletion.md). Anyone else gets 403.
     */
    @WithDefault("spalce-auth-gateway")
    Set<String> sealCallers();

    interface Checkpoint {

        /**
         * How often heads that moved since their last checkpoint are signed: the longest a new entry stays
         * unsealed. A quiet workspace gets no checkpoint.
         */
        @WithDefault("10s")
        Duration interval();

        /** Legacy form of the signing key: PKCS#8 DER in base64 (prefer {@code spalce.audit.signing.key-file}). */
        Optional<String> privateKey();

        /** Legacy form: its public key, X.509 SubjectPublicKeyInfo DER in base64. */
        Optional<String> publicKey();

        /**
         * Without a configured key, sign with a key generated at start-up (tests only: its checkpoints cannot be
         * checked against a published key after a restart). False in production.
         */
        @WithDefault("false")
        boolean allowEphemeralKey();
    }

    interface Signing {

        /**
         * A PEM file holding the Ed25519 private key ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8, as
         * {@code openssl genpkey -algorithm ed25519} writes it), mounted from the platform's secret store
         * ({@code SPALCE_AUDIT_SIGNING_KEY_FILE}).
         */
        Optional<Path> keyFile();

        /** The same PEM text, from an environment variable the secret store fills ({@code SPALCE_AUDIT_SIGNING_KEY}). */
        Optional<String> key();

        /**
         * Public keys of earlier signing keys (X.509 DER in base64, or PEM), kept trusted after a rotation so that
         * their checkpoints still verify ({@code SPALCE_AUDIT_SIGNING_PREVIOUS_PUBLIC_KEYS}, comma-separated).
         */
        Optional<List<String>> previousPublicKeys();
    }

    interface Anchor {

        /**
         * Write every checkpoint to the anchor bucket and publish it on {@code spalce.audit.checkpoints.v1}.
         * Off only to measure what anchoring costs.
         */
        @WithDefault("true")
        boolean enabled();

        /** The write-once bucket (S3 Object Lock, compliance mode, in production): {@code SPALCE_AUDIT_ANCHOR_BUCKET}. */
        @WithDefault("spalce-audit-anchor")
        String bucket();

        /** Key prefix inside the bucket. */
        @WithDefault("checkpoints/")
        String prefix();

        @WithDefault("eu-west-1")
        String region();

        /** The endpoint of a non-AWS S3-API store; empty on AWS. */
        Optional<String> endpoint();

        @WithDefault("false")
        boolean pathStyle();

        /** Static credentials, for the local store only; otherwise the SDK's default chain (the service's role). */
        Optional<String> accessKey();

        Optional<String> secretKey();
    }
}
