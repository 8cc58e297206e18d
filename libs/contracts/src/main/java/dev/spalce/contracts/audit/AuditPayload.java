package dev.spalce.contracts.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code data} of an event on {@link dev.spalce.contracts.Topic#AUDIT}: who did what to which object, and how
 * it ended. The action is the event's {@code type}; id, time and workspace are CloudEvents attributes.
 *
 * <p>Never put a secret, key material or plaintext PII in any field, {@code details} included: the audit log is
 * readable by auditors and exported.
 *
 * @param actor who acted
 * @param target what the action was applied to
 * @param outcome how it ended
 * @param requestId the request id that ties the action to service logs
 * @param sourceAddress the client address as the gateway saw it; null for system actions
 * @param details small, non-secret facts about the action (counts, sizes, versions)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditPayload(
        Actor actor,
        Target target,
        Outcome outcome,
        String requestId,
        String sourceAddress,
        Map<String, String> details) {

    public AuditPayload {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /**
     * Who acted.
     *
     * @param type {@code user}, {@code service} or {@code system}
     * @param subject the OIDC subject of a user or service, or the name of the system component
     */
    public record Actor(String type, String subject) {
        public static final String USER = "user";
        public static final String SERVICE = "service";
        public static final String SYSTEM = "system";

        public Actor {
            requireText(type, "actor.type");
            requireText(subject, "actor.subject");
        }

        public static Actor user(String subject) {
            return new Actor(USER, subject);
        }

        public static Actor service(String subject) {
            return new Actor(SERVICE, subject);
        }

        public static Actor system(String component) {
            return new Actor(SYSTEM, component);
        }
    }

    /**
     * What the action was applied to.
     *
     * @param type e.g. {@code workspace}, {@code evidence}, {@code cmk}, {@code rewrap-job}
     * @param id that object's id
     */
    public record Target(String type, String id) {
        public Target {
            requireText(type, "target.type");
            requireText(id, "target.id");
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
