package dev.spalce.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "spalce.audit")
public interface AuditConfig {

    /** Signed checkpoints over each workspace's chain head. */
    Checkpoint checkpoint();

    interface Checkpoint {

        /** How often heads that moved since their last checkpoint are signed. */
        @WithDefault("5m")
        Duration interval();

        /** The Ed25519 signing key, PKCS#8 DER in base64. Required unless an ephemeral key is allowed. */
        Optional<String> privateKey();

        /** Its public key, X.509 SubjectPublicKeyInfo DER in base64: what auditors are given to trust. */
        Optional<String> publicKey();

        /**
         * Without a configured key, sign with a key generated at start-up (local runtime and tests only: its
         * checkpoints cannot be checked against a published key). False in production.
         */
        @WithDefault("false")
        boolean allowEphemeralKey();
    }
}
