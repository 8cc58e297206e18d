package dev.spalce.kit.outbox;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.Topic;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Where a service puts the events its changes produce. {@link #enqueue} must run inside the transaction of the
 * change ({@code @WithTransaction} or {@code Panache.withTransaction}): the event is stored with the change or
 * not at all, and {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxRepository repository;

    public Outbox(OutboxRepository repository) {
        this.repository = repository;
    }

    public Uni<Void> enqueue(Topic topic, CloudEvent event) {
        OutboxMessage message = new OutboxMessage();
        message.id = UUID.fromString(event.id());
        message.topic = topic.topicName();
        message.messageKey = event.workspaceId();
        message.payload = EventCodec.encode(event);
        return repository.persist(message).replaceWithVoid();
    }
}
