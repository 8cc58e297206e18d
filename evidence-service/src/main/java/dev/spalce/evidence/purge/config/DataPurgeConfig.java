package dev.spalce.evidence.purge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Set;

/** Deleting a workspace's rows and objects (docs/deletion.md). */
@ConfigMapping(prefix = "spalce.evidence.data-purge")
public interface DataPurgeConfig {

    /**
     * Service identities allowed to purge a workspace: the gateway's, which calls it only after the deletion's grace
     * period and after crypto-service has shredded the keys. Anyone else gets 403.
     */
    @WithDefault("spalce-auth-gateway")
    Set<String> allowedCallers();
}
