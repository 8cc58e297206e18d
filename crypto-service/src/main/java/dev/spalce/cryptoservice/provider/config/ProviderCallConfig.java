package dev.spalce.cryptoservice.provider.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How crypto-service calls key providers: off the event loop, on a bounded pool, with a deadline. */
@ConfigMapping(prefix = "spalce.crypto.provider-calls")
public interface ProviderCallConfig {

    /** Threads that run provider calls (wrap, unwrap, key creation), which may block on a network or an HSM. */
    @WithDefault("8")
    int threads();

    /** Provider calls that may wait for a thread; beyond that a request is refused with 503 rather than queued. */
    @WithDefault("2000")
    int queueCapacity();

    /** How long one provider call may take before it counts as an outage (503). */
    @WithDefault("10s")
    Duration timeout();
}
