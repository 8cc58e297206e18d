package dev.spalce.cryptoservice.tenantkey.service;

import dev.spalce.contracts.keys.KeyState;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;

/** What the Owner is told they may do with a key Spalce no longer uses. */
public final class TenantKeyAdvice {

    private TenantKeyAdvice() {}

    /**
     * For a detached key: that it may be disabled at the customer's KMS, naming it as that KMS does. Null for a key
     * still in use (current, or previous with data keys still to move), which must stay enabled.
     */
    public static String disableAdvice(TenantKey key) {
        if (key.state != KeyState.DETACHED) {
            return null;
        }
        return "no data key of this workspace is wrapped under " + key.provider + " key '" + key.keyReference
                + "' any more and Spalce never calls it again: you may disable it in " + where(key);
    }

    /**
     * For a customer's key of a deleted workspace: Spalce has detached it and will never call it again, but it still
     * decrypts every copy of the workspace's wrapped data keys that exists (backups, snapshots, a dump), so its
     * owner must disable or delete it themselves.
     */
    public static String shreddedAdvice(TenantKey key) {
        return "workspace deleted: Spalce detached " + key.provider + " key '" + key.keyReference
                + "' and never calls it again, but it still decrypts any copy of this workspace's data that exists"
                + " (backups, snapshots): disable it, or schedule its deletion, in " + where(key)
                + " to make that data unreadable";
    }

    private static String where(TenantKey key) {
        return switch (key.provider) {
            case "local" -> "the local keystore (Spalce created it: it is kept, unused, for the registry's history)";
            case "pkcs11" -> "the HSM";
            default -> "your KMS (" + key.provider + ")";
        };
    }
}
