package dev.spalce.audit.messaging;

import dev.spalce.contracts.Topic;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Puts an audit event that can never be stored on the dead-letter topic, unchanged, with the reason and its
 * origin in headers (the same header names SmallRye's dead-letter strategy uses). Completes when the broker
 * has acknowledged it, so that the original is acknowledged only after.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<String> emitter;

    public DeadLetters(
            @Channel("audit-dead-letter") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                    MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> send(KafkaRecord<String, String> original, String reason) {
        long offset = original.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
        LOG.warnf(
                "audit event at %s-%d@%d to the dead-letter topic: %s",
                original.getTopic(), original.getPartition(), offset, reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", original.getTopic().getBytes(StandardCharsets.UTF_8));
        headers.add(
                "dead-letter-partition",
                Integer.toString(original.getPartition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        return emitter.sendMessage(Message.of(original.getPayload() == null ? "" : original.getPayload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(Topic.AUDIT_DEAD_LETTER.topicName())
                        .withKey(original.getKey())
                        .withHeaders(headers)
                        .build()));
    }
}
