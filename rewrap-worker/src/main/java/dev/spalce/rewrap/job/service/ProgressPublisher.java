package dev.spalce.rewrap.job.service;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.rewrap.RewrapProgress;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes a {@code rewrap.progress} event for every job this instance runs, every second, straight to Kafka:
 * progress is a live view, not a record, so an event lost in a crash is simply superseded by the next. (State
 * changes — started, paused, completed... — go through the outbox with their audit event instead.)
 */
@ApplicationScoped
public class ProgressPublisher {

    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final Instance<JobRunner> runner;
    private final String source;

    public ProgressPublisher(
            @Channel("rewrap-progress") MutinyEmitter<Record<String, String>> emitter,
            Instance<JobRunner> runner,
            @ConfigProperty(name = "spalce.service.name") String serviceName) {
        this.emitter = emitter;
        this.runner = runner;
        this.source = "/spalce/" + serviceName;
    }

    @Scheduled(
            every = "${spalce.rewrap.runner.progress-interval:1s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publish() {
        for (JobRunner.RunningJob job : runner.get().running()) {
            RewrapProgress progress = job.snapshot();
            String event = EventCodec.encode(
                    CloudEvent.create(source, RewrapProgress.TYPE, job.workspaceId, EventCodec.toData(progress)));
            emitter.sendAndForget(Record.of(job.workspaceId, event));
            LOG.debugf("progress of %s: %d/%d", job.id, progress.done(), progress.total());
        }
    }
}
