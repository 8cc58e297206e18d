package dev.spalce.kit.audit;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.kit.api.RequestMetadata;
import dev.spalce.kit.outbox.Outbox;
import io.quarkus.arc.Arc;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records an actor's action as an audit event, through the outbox. Call it inside the transaction of the
 * action, so the event exists exactly when the action took effect. Request id and source address are taken
 * from the HTTP request being served, when there is one.
 */
@ApplicationScoped
public class AuditTrail {

    private final Outbox outbox;
    private final RequestMetadata request;
    private final String source;

    public AuditTrail(
            Outbox outbox, RequestMetadata request, @ConfigProperty(name = "spalce.service.name") String serviceName) {
        this.outbox = outbox;
        this.request = request;
        this.source = "/spalce/" + serviceName;
    }

    public Uni<Void> record(
            String workspaceId,
            String action,
            Actor actor,
            Target target,
            Outcome outcome,
            Map<String, String> details) {
        boolean inRequest = Arc.container().requestContext().isActive();
        return record(
                workspaceId,
                action,
                actor,
                target,
                outcome,
                details,
                inRequest ? request.requestId() : null,
                inRequest ? request.sourceAddress() : null);
    }

    /**
     * Records an action with the request id and client address it names, for an event written after the request
     * that caused it has been served (a tally of reads turned into one event when its window closes).
     */
    public Uni<Void> record(
            String workspaceId,
            String action,
            Actor actor,
            Target target,
            Outcome outcome,
            Map<String, String> details,
            String requestId,
            String sourceAddress) {
        AuditPayload payload = new AuditPayload(actor, target, outcome, requestId, sourceAddress, details);
        return outbox.enqueue(Topic.AUDIT, CloudEvent.create(source, action, workspaceId, EventCodec.toData(payload)));
    }
}
