package dev.spalce.evidence.file.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Evidence files: object storage, upload limits, download URLs. */
@ConfigMapping(prefix = "spalce.evidence")
public interface EvidenceConfig {

    S3 s3();

    Upload upload();

    Download download();

    interface S3 {
        /** The private bucket holding the evidence ciphertexts. */
        String bucket();

        /** The bucket's region. */
        String region();

        /** The endpoint of an S3-API store other than AWS; empty on AWS. */
        Optional<String> endpoint();

        /** Path-style requests (needed by most stores other than AWS). */
        @WithDefault("false")
        boolean pathStyle();

        /** A static access key (local store only); empty: the SDK's default credentials chain (IAM role). */
        Optional<String> accessKey();

        /** The static secret key that goes with {@link #accessKey()}. */
        Optional<String> secretKey();

        /** Server-side encryption requested on every object: {@code AES256}, {@code aws:kms}, or {@code none}. */
        @WithDefault("AES256")
        String serverSideEncryption();
    }

    interface Upload {
        /** The largest file accepted, in plaintext bytes. */
        @WithDefault("2147483648")
        long maxBytes();

        /** One multipart-upload part, in bytes (at least 5 MiB): the buffer one upload holds. */
        @WithDefault("8388608")
        int partBytes();

        /** Accepted media types. */
        Set<String> allowedTypes();
    }

    interface Download {
        /** How long a signed download URL stays valid. */
        @WithDefault("5m")
        Duration urlLifetime();

        /** HMAC-SHA256 key of the download URLs, base64 (32 bytes or more). */
        Optional<String> signingKey();

        /** Without a signing key, sign with one made at start-up (single instance, dev and tests only). */
        @WithDefault("false")
        boolean allowEphemeralKey();
    }
}
