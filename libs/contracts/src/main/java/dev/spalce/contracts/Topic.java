package dev.spalce.contracts;

import java.util.Locale;

/**
 * Every Kafka topic Spalce uses: the only place a topic name or partition count is written.
 *
 * <p>Messages are CloudEvents 1.0 in structured JSON mode, keyed by workspace id, so that all events of one
 * workspace land on one partition and keep their order. Configuration refers to topics through the
 * properties published by {@link TopicConfigSource} ({@code ${spalce.topic.audit}}), never by literal name.
 */
public enum Topic {

    /** Every actor action, from every service, to audit-log-service. */
    AUDIT("spalce.audit.v1", 6),

    /** Audit events that audit-log-service could not accept, with the reason in a header. */
    AUDIT_DEAD_LETTER("spalce.audit.v1.dlq", 1),

    /** Key lifecycle: {@code cmk.registered}, {@code cmk.rotated}, {@code rewrap.requested}. */
    KEYS("spalce.keys.v1", 6),

    /** Live progress of rewrap jobs, consumed by the gateway for the dashboard. */
    REWRAP_PROGRESS("spalce.rewrap.progress.v1", 3),

    /**
     * Every signed audit checkpoint ({@code audit.checkpoint}), published by audit-log-service only, so that a
     * customer can keep their own copy as a witness that the database cannot rewrite (docs/audit-log.md).
     */
    AUDIT_CHECKPOINTS("spalce.audit.checkpoints.v1", 3);

    private final String topicName;
    private final int partitions;

    Topic(String topicName, int partitions) {
        this.topicName = topicName;
        this.partitions = partitions;
    }

    public String topicName() {
        return topicName;
    }

    public int partitions() {
        return partitions;
    }

    /** The configuration property that resolves to this topic's name, e.g. {@code spalce.topic.rewrap-progress}. */
    public String configProperty() {
        return "spalce.topic." + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
