package dev.spalce.rewrap.keyevent.messaging;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.InvalidEventException;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.rewrap.keyevent.service.KeyEventService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code spalce.keys.v1}, one event at a time, in order per workspace. An event that can never be
 * handled (not a CloudEvent, data that breaks its type's contract, or a request the job rules refuse, such as a
 * target that is no longer current) is logged and passed over; a database outage is retried with backoff and
 * holds the partition, so no event is lost.
 */
@ApplicationScoped
public class KeyEventConsumer {

    private static final Logger LOG = Logger.getLogger(KeyEventConsumer.class);

    private final KeyEventService events;

    public KeyEventConsumer(KeyEventService events) {
        this.events = events;
    }

    @Incoming("keys-in")
    public Uni<Void> consume(String message) {
        CloudEvent event;
        try {
            event = EventCodec.decode(message);
        } catch (InvalidEventException e) {
            LOG.warnf("key event passed over: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom()
                .deferred(() -> events.handle(event))
                .onFailure(KeyEventConsumer::isTransient)
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30))
                .indefinitely()
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "key event %s (%s, workspace %s) passed over: %s",
                            event.id(), event.type(), event.workspaceId(), failure.getMessage());
                    return null;
                });
    }

    /** Everything but a broken event or a refused request is worth retrying. */
    private static boolean isTransient(Throwable failure) {
        return !(failure instanceof InvalidEventException)
                && !(failure instanceof ProblemException problem && problem.status() < 500);
    }
}
