package dev.spalce.contracts;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may write and read each topic, and which consumer groups each service may use: the broker's ACLs, one per
 * service principal ({@code User:<service>}, the CN of its internal certificate). Anything not granted here is
 * refused by the broker (KRaft {@code StandardAuthorizer}, no ACL means no access). Only the admin tooling, a super
 * user, creates topics and these ACLs.
 */
public final class TopicAccess {

    public static final String AUTH_GATEWAY = "auth-gateway";
    public static final String EVIDENCE_SERVICE = "evidence-service";
    public static final String CRYPTO_SERVICE = "crypto-service";
    public static final String REWRAP_WORKER = "rewrap-worker";
    public static final String AUDIT_LOG_SERVICE = "audit-log-service";
    public static final List<String> SERVICES =
            List.of(AUTH_GATEWAY, EVIDENCE_SERVICE, CRYPTO_SERVICE, REWRAP_WORKER, AUDIT_LOG_SERVICE);

    private TopicAccess() {}

    /** Every ACL the broker holds for Spalce. */
    public static List<AclBinding> bindings() {
        List<AclBinding> acls = new ArrayList<>();
        // spalce.audit.v1: every service writes (through its outbox); only audit-log-service reads.
        SERVICES.forEach(service -> acls.add(topic(Topic.AUDIT.topicName(), service, AclOperation.WRITE)));
        acls.add(topic(Topic.AUDIT.topicName(), AUDIT_LOG_SERVICE, AclOperation.READ));
        acls.add(topic(Topic.AUDIT_DEAD_LETTER.topicName(), AUDIT_LOG_SERVICE, AclOperation.WRITE));
        // spalce.keys.v1: crypto-service (cmk.registered, cmk.rotated) and the gateway (rewrap.requested, for an
        // Owner's request) write; rewrap-worker reads.
        acls.add(topic(Topic.KEYS.topicName(), CRYPTO_SERVICE, AclOperation.WRITE));
        acls.add(topic(Topic.KEYS.topicName(), AUTH_GATEWAY, AclOperation.WRITE));
        acls.add(topic(Topic.KEYS.topicName(), REWRAP_WORKER, AclOperation.READ));
        // spalce.rewrap.progress.v1: rewrap-worker writes, the gateway reads.
        acls.add(topic(Topic.REWRAP_PROGRESS.topicName(), REWRAP_WORKER, AclOperation.WRITE));
        acls.add(topic(Topic.REWRAP_PROGRESS.topicName(), AUTH_GATEWAY, AclOperation.READ));
        // spalce.audit.checkpoints.v1: audit-log-service writes; a customer's witness reads with an ACL of its own.
        acls.add(topic(Topic.AUDIT_CHECKPOINTS.topicName(), AUDIT_LOG_SERVICE, AclOperation.WRITE));
        // Consumer groups: each consumer its own, by name; the gateway's instances each take auth-gateway-<uuid>.
        acls.add(group(AUDIT_LOG_SERVICE, PatternType.LITERAL, AUDIT_LOG_SERVICE));
        acls.add(group(REWRAP_WORKER, PatternType.LITERAL, REWRAP_WORKER));
        acls.add(group(AUTH_GATEWAY + "-", PatternType.PREFIXED, AUTH_GATEWAY));
        return acls;
    }

    private static AclBinding topic(String topic, String service, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), allow(service, operation));
    }

    private static AclBinding group(String name, PatternType pattern, String service) {
        return new AclBinding(
                new ResourcePattern(ResourceType.GROUP, name, pattern), allow(service, AclOperation.READ));
    }

    private static AccessControlEntry allow(String service, AclOperation operation) {
        return new AccessControlEntry("User:" + service, "*", operation, AclPermissionType.ALLOW);
    }
}
