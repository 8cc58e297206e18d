package dev.spalce.cryptoservice.tenantkey.service;

import dev.spalce.contracts.audit.AuditPayload.Actor;
import java.util.Objects;

/**
 * Who a key management action is attributed to, and which service identity carried it out.
 *
 * @param actor the user on whose behalf the gateway acted, the calling service itself, or the system
 * @param via the service that carried it out (the gateway for a user, the service itself), or null for the system
 */
public record ActingParty(Actor actor, String via) {

    /** crypto-service's own scheduler. */
    public static final ActingParty SCHEDULER = new ActingParty(Actor.system("crypto-service/key-rotation"), null);

    public ActingParty {
        Objects.requireNonNull(actor, "actor");
    }

    /** A service acting for the platform with its own identity. */
    public static ActingParty service(String serviceIdentity) {
        return new ActingParty(Actor.service(serviceIdentity), serviceIdentity);
    }

    /** A user whose request {@code gateway} routed here. */
    public static ActingParty userThrough(String user, String gateway) {
        return new ActingParty(Actor.user(user), gateway);
    }

    /** How the registry stores it: {@code type:subject}. */
    public String stored() {
        return actor.type() + ":" + actor.subject();
    }
}
