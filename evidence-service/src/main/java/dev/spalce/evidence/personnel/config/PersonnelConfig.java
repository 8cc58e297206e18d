package dev.spalce.evidence.personnel.config;

import io.smallrye.config.ConfigMapping;

/** Personnel records. */
@ConfigMapping(prefix = "spalce.personnel")
public interface PersonnelConfig {

    /**
     * The master key of the email blind indexes, base64 (32 bytes or more). Each workspace's index key is derived
     * from it (HKDF-SHA256 with the workspace id), so one workspace's index says nothing about another's.
     */
    String blindIndexKey();
}
