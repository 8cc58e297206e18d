package dev.spalce.gateway.progress.service;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.InvalidEventException;
import dev.spalce.contracts.rewrap.RewrapProgress;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Fans the rewrap-worker's progress events out to every dashboard connected to this gateway instance. Each
 * instance reads the whole topic in a consumer group of its own (see application.properties), from the
 * latest event: progress is a live view, not history.
 */
@ApplicationScoped
public class RewrapProgressHub {

    private static final Logger LOG = Logger.getLogger(RewrapProgressHub.class);

    /** One progress report of one workspace. */
    public record WorkspaceProgress(String workspaceId, RewrapProgress progress) {}

    private final BroadcastProcessor<WorkspaceProgress> broadcast = BroadcastProcessor.create();

    @Incoming("rewrap-progress")
    void receive(String message) {
        try {
            CloudEvent event = EventCodec.decode(message);
            if (RewrapProgress.TYPE.equals(event.type())) {
                broadcast.onNext(
                        new WorkspaceProgress(event.workspaceId(), EventCodec.data(event, RewrapProgress.class)));
            }
        } catch (InvalidEventException e) {
            // A malformed report is dropped: the next one, a second later, replaces it.
            LOG.warnf("rewrap progress event dropped: %s", e.getMessage());
        }
    }

    /** The live reports of one workspace's jobs. */
    public Multi<RewrapProgress> of(String workspaceId) {
        return broadcast
                .filter(report -> report.workspaceId().equals(workspaceId))
                .map(WorkspaceProgress::progress);
    }
}
