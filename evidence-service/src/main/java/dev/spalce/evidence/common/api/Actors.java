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

    /** The actor a row stored with {@link #stored}. */
    public static Actor parse(String stored) {
        int colon = stored.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("a stored actor is type:subject");
        }
        return new Actor(stored.substring(0, colon), stored.substring(colon + 1));
    }
}
