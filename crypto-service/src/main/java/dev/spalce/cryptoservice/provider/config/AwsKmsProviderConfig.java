package dev.spalce.cryptoservice.provider.config;

import java.net.URI;
import java.util.Optional;

/**
 * The {@code aws-kms} key provider: tenants' CMKs in AWS KMS, through the AWS SDK for Java v2. Credentials come
 * from the SDK's default chain (IRSA web identity on Kubernetes, the task role on ECS, environment, profile), never
 * from this configuration.
 */
@io.smallrye.config.ConfigMapping(prefix = "spalce.crypto.aws-kms")
public interface AwsKmsProviderConfig {

    /** Whether the provider is available. Off by default: it needs a region and credentials. */
    @io.smallrye.config.WithDefault("false")
    boolean enabled();

    /** The AWS region of the customers' keys, e.g. {@code eu-west-1}. Required when enabled. */
    Optional<String> region();

    /**
     * Another endpoint than the region's public one: a VPC interface endpoint or a FIPS endpoint. Unset in
     * production unless the network requires it.
     */
    Optional<URI> endpointOverride();

    /** Timeouts, retries and the request budget. */
    RemoteCallConfig calls();
}
