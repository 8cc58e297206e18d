package dev.spalce.evidence.rewrap.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Set;

/** The rewrap support API. */
@ConfigMapping(prefix = "spalce.rewrap-support")
public interface RewrapSupportConfig {

    /** Service identities (client-credentials subjects) allowed to call it; anyone else gets 403. */
    @WithDefault("spalce-rewrap-worker")
    Set<String> allowedCallers();

    /** The most records one page or one compare-and-set batch may hold (more: 400). */
    @WithDefault("500")
    int maxBatch();
}
