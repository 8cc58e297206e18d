package dev.spalce.evidence.common.api;

import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.kit.security.Caller;

/** Who an action is attributed to, from the verified caller. */
public final class Actors {

    private Actors() {}

    /** The user the gateway acted for, or the calling service. */
    public static Actor of(Caller caller) {
        return caller.isUserThroughGateway() ? Actor.user(caller.subject()) : Actor.service(caller.subject());
    }

    /** How rows store an actor: {@code type:subject}. */
    public static String stored(Actor actor) {
        return actor.type() + ":" + actor.subject();
    }
}
