package dev.spalce.gateway.config;

import io.smallrye.config.ConfigMapping;
import java.net.URI;

/** Where the internal services answer. The gateway is the only component that calls all of them. */
@ConfigMapping(prefix = "spalce.services")
public interface DownstreamServices {

    /** evidence-service's internal base URL. */
    URI evidenceUrl();

    /** crypto-service's internal base URL. */
    URI cryptoUrl();

    /** rewrap-worker's internal base URL. */
    URI rewrapUrl();

    /** audit-log-service's internal base URL. */
    URI auditUrl();
}
