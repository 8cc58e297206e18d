package dev.spalce.audit.messaging;

import dev.spalce.audit.service.AuditIngestService;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.InvalidEventException;
import dev.spalce.contracts.audit.AuditPayload;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code spalce.audit.v1}. An event is acknowledged (and its offset becomes committable) only once it
 * is stored; a database outage is retried with backoff and blocks nothing but this partition, so nothing is
 * lost. An event that can never be stored (not a CloudEvent, not an audit payload, data PostgreSQL rejects)
 * is nacked and goes to the dead-letter topic with the reason, so it never blocks the stream.
 */
@ApplicationScoped
public class AuditEventConsumer {

    private static final Logger LOG = Logger.getLogger(AuditEventConsumer.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final AuditIngestService ingest;

    public AuditEventConsumer(AuditIngestService ingest) {
        this.ingest = ingest;
    }

    @Incoming("audit-in")
    public Uni<Void> consume(Message<String> message) {
        CloudEvent event;
        AuditPayload payload;
        try {
            event = EventCodec.decode(message.getPayload());
            payload = EventCodec.data(event, AuditPayload.class);
        } catch (InvalidEventException e) {
            LOG.warnf("audit event rejected to the dead-letter topic: %s", e.getMessage());
            return Uni.createFrom().completionStage(message.nack(e));
        } catch (RuntimeException unexpected) {
            // Whatever a message does to the decoder, it must not stop the stream.
            LOG.warn("audit event rejected to the dead-letter topic: unreadable", unexpected);
            return Uni.createFrom().completionStage(message.nack(new InvalidEventException("unreadable message")));
        }
        return ingest.store(event, payload)
                .onFailure(AuditEventConsumer::isTransient).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30)).indefinitely()
                .onItemOrFailure().transformToUni((stored, failure) -> {
                    if (failure == null || UNIQUE_VIOLATION.equals(sqlState(failure).orElse(null))) {
                        // Stored now, or by a concurrent delivery of the same event: either way it is in the log.
                        return Uni.createFrom().completionStage(message.ack());
                    }
                    LOG.warnf("audit event %s rejected to the dead-letter topic: SQLSTATE %s", event.id(),
                            sqlState(failure).orElse("?"));
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    /** Data and constraint errors (SQLSTATE classes 22 and 23) will fail again; everything else may pass later. */
    private static boolean isTransient(Throwable failure) {
        return sqlState(failure).map(state -> !state.startsWith("22") && !state.startsWith("23")).orElse(true);
    }

    private static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                return Optional.ofNullable(pg.getSqlState());
            }
        }
        return Optional.empty();
    }
}
