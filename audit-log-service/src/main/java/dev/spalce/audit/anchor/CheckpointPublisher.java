package dev.spalce.audit.anchor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.auditchain.AuditExport;
import dev.spalce.auditchain.Checkpoint;
import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.audit.AuditCheckpointPublished;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes every signed checkpoint as an {@code audit.checkpoint} CloudEvent on {@code spalce.audit.checkpoints.v1},
 * keyed by workspace, so that customers can keep their own copy — a witness the database cannot rewrite. The
 * event's data is the checkpoint line of the export format.
 */
@ApplicationScoped
public class CheckpointPublisher {

    private static final String SOURCE = "/spalce/audit-log-service";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutinyEmitter<String> emitter;

    public CheckpointPublisher(@Channel("audit-checkpoints-out") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Completes when the broker has acknowledged the event ({@code acks=all}). */
    public Uni<Void> publish(Checkpoint checkpoint) {
        AuditCheckpointPublished data;
        try {
            data = JSON.readValue(AuditExport.checkpointLine(checkpoint), AuditCheckpointPublished.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        CloudEvent event = CloudEvent.create(
                SOURCE, AuditCheckpointPublished.TYPE, checkpoint.workspaceId(), EventCodec.toData(data));
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
        return emitter.sendMessage(Message.of(EventCodec.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(checkpoint.workspaceId())
                        .withHeaders(headers)
                        .build()));
    }
}
