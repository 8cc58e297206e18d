package dev.spalce.cryptoservice.tenantkey.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Rotation policy defaults and the scheduler that applies them. */
@ConfigMapping(prefix = "spalce.crypto.rotation")
public interface RotationConfig {

    /** The shortest rotation period a workspace may choose, in days. */
    int MIN_PERIOD_DAYS = 1;

    /** The longest rotation period a workspace may choose, in days (10 years). */
    int MAX_PERIOD_DAYS = 3650;

    /** The rotation period of a newly registered CMK when the request names none, in days. */
    @WithDefault("365")
    int defaultPeriodDays();

    /** How often the scheduler looks for workspaces whose rotation is due (a Quarkus scheduler interval). */
    @WithDefault("1m")
    String checkInterval();

    /** The most rotations one scheduler run performs; the rest wait for the next run. */
    @WithDefault("100")
    int maxPerRun();

    /** After a scheduled rotation fails (provider down), how long until the scheduler tries that workspace again. */
    @WithDefault("1h")
    Duration retryDelay();
}
