package dev.spalce.cryptoservice.datakey.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the batch unwrap and rewrap calls. */
@ConfigMapping(prefix = "spalce.crypto.batch")
public interface BatchConfig {

    /** The most items one unwrap or rewrap request may hold; a larger batch is refused with 400. */
    @WithDefault("500")
    int maxItems();

    /** How many provider calls of one batch run at the same time (all batches share the provider pool). */
    @WithDefault("16")
    int concurrency();
}
