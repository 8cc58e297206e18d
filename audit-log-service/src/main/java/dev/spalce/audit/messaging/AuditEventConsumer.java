package dev.spalce.audit.messaging;

import dev.spalce.audit.service.AuditIngestService;
import dev.spalce.audit.service.AuditIngestService.IncomingEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.InvalidEventException;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.kit.persistence.SqlStates;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code spalce.audit.v1} in batches. A batch is acknowledged (its offsets become committable) only
 * once every event in it is either stored or on the dead-letter topic: nothing is lost, and a redelivered
 * event is stored only once. A database outage is retried with backoff and holds the partitions, not the data.
 * An event that can never be stored (not a CloudEvent, not an audit payload, or data PostgreSQL rejects) goes
 * to the dead-letter topic with the reason, and the stream goes on.
 */
@ApplicationScoped
public class AuditEventConsumer {

    private static final Logger LOG = Logger.getLogger(AuditEventConsumer.class);

    private final AuditIngestService ingest;
    private final DeadLetters deadLetters;

    public AuditEventConsumer(AuditIngestService ingest, DeadLetters deadLetters) {
        this.ingest = ingest;
        this.deadLetters = deadLetters;
    }

    @Incoming("audit-in")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<IncomingEvent> events = new ArrayList<>();
        Map<IncomingEvent, KafkaRecord<String, String>> origins = new IdentityHashMap<>();
        List<Uni<Void>> rejected = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch) {
            try {
                var event = EventCodec.decode(record.getPayload());
                IncomingEvent incoming = new IncomingEvent(event, EventCodec.data(event, AuditPayload.class));
                events.add(incoming);
                origins.put(incoming, record);
            } catch (InvalidEventException e) {
                rejected.add(deadLetters.send(record, e.getMessage()));
            } catch (RuntimeException unexpected) {
                // Whatever a message does to the decoder, it must not stop the stream.
                LOG.warn("unreadable audit event", unexpected);
                rejected.add(deadLetters.send(record, "unreadable message"));
            }
        }
        Uni<Void> deadLettered = rejected.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(rejected).andFailFast().replaceWithVoid();
        return deadLettered
                .chain(() -> appendOrRejectOneByOne(events, origins))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /** The whole batch in one transaction; if PostgreSQL rejects its data, each event alone, to find the culprit. */
    private Uni<Void> appendOrRejectOneByOne(
            List<IncomingEvent> events, Map<IncomingEvent, KafkaRecord<String, String>> origins) {
        return retryWhileTransient(ingest.append(events))
                .replaceWithVoid()
                .onFailure(AuditEventConsumer::isDataError)
                .recoverWithUni(batchFailure -> Multi.createFrom()
                        .iterable(events)
                        .onItem()
                        .transformToUniAndConcatenate(event -> retryWhileTransient(ingest.append(List.of(event)))
                                .replaceWithVoid()
                                .onFailure(AuditEventConsumer::isDataError)
                                .recoverWithUni(failure -> deadLetters.send(
                                        origins.get(event),
                                        "rejected by the database (SQLSTATE "
                                                + SqlStates.of(failure).orElse("?") + ")")))
                        .collect()
                        .last()
                        .replaceWithVoid());
    }

    private static Uni<Integer> retryWhileTransient(Uni<Integer> append) {
        return append.onFailure(failure -> !isDataError(failure))
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30))
                .indefinitely();
    }

    /** Data and constraint errors (SQLSTATE classes 22 and 23) fail the same way every time. */
    private static boolean isDataError(Throwable failure) {
        return SqlStates.of(failure)
                .map(state -> state.startsWith("22") || state.startsWith("23"))
                .orElse(false);
    }
}
