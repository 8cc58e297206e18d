package dev.spalce.kit.outbox;

import dev.spalce.contracts.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes outbox messages to Kafka: lock a batch, send it, wait for the broker's acknowledgements
 * ({@code acks=all}), delete what was acknowledged, commit. A message whose send failed stays and is retried on
 * the next run; a crash after the send and before the commit republishes the batch, which consumers absorb by
 * de-duplicating on the event id.
 *
 * <p>Within a batch, messages are handed to one idempotent producer in order, so events of one workspace (one
 * key, one partition) keep their order. Only a send that fails definitively while later ones succeed can
 * reorder a workspace's events, and its retry is then delivered late rather than lost.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository repository;
    private final MutinyEmitter<String> emitter;
    private final int batchSize;
    private final Counter published;
    private final Counter failed;

    public OutboxRelay(
            OutboxRepository repository,
            @Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                    MutinyEmitter<String> emitter,
            @ConfigProperty(name = "spalce.outbox.batch-size", defaultValue = "256") int batchSize,
            MeterRegistry metrics) {
        this.repository = repository;
        this.emitter = emitter;
        this.batchSize = batchSize;
        this.published = metrics.counter("spalce.outbox.published");
        this.failed = metrics.counter("spalce.outbox.failed");
    }

    // Not before the application (and so the Kafka channel) has started.
    @Scheduled(
            every = "${spalce.outbox.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return publishBatch()
                .chain(sent -> sent == batchSize ? relay() : Uni.createFrom().voidItem());
    }

    /** Publishes one batch; returns how many messages it held. */
    Uni<Integer> publishBatch() {
        Context context = Vertx.currentContext();
        Executor onContext = task -> context.runOnContext(ignored -> task.run());
        return Panache.withTransaction(() -> repository.lockOldest(batchSize).chain(batch -> {
                    if (batch.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    List<Uni<SendResult>> sends = batch.stream().map(this::send).toList();
                    return Uni.join()
                            .all(sends)
                            .andCollectFailures()
                            .emitOn(onContext)
                            .chain(results -> settle(results).replaceWith(batch.size()));
                }))
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warn("outbox relay run failed; pending messages stay queued", failure);
                    return 0;
                });
    }

    private Uni<SendResult> send(OutboxMessage message) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
        Message<String> record = Message.of(message.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(message.topic)
                        .withKey(message.messageKey)
                        .withHeaders(headers)
                        .build());
        return emitter.sendMessage(record)
                .map(ignored -> new SendResult(message.id, null))
                .onFailure()
                .recoverWithItem(failure -> new SendResult(message.id, failure));
    }

    private Uni<Void> settle(List<SendResult> results) {
        List<UUID> sent = results.stream()
                .filter(r -> r.failure() == null)
                .map(SendResult::id)
                .toList();
        List<UUID> notSent = results.stream()
                .filter(r -> r.failure() != null)
                .map(SendResult::id)
                .toList();
        Throwable firstFailure = results.stream()
                .map(SendResult::failure)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        published.increment(sent.size());
        if (firstFailure != null) {
            failed.increment(notSent.size());
            LOG.warnf(
                    "outbox: %d of %d messages not acknowledged by Kafka, will retry: %s",
                    notSent.size(), results.size(), firstFailure);
        }
        return repository
                .deleteAll(sent)
                .chain(() -> repository.recordFailure(notSent, firstFailure == null ? null : firstFailure.toString()))
                .replaceWithVoid();
    }

    private record SendResult(UUID id, Throwable failure) {}
}
