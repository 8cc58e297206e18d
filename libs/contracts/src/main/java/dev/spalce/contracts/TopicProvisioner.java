package dev.spalce.contracts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the {@link Topic}s that do not exist yet, with their partition counts, and the ACLs of
 * {@link TopicAccess}. Used by the local runtime ({@code ./spalce up}) and by the test infrastructure, as the admin
 * identity (a super user of the broker); production topics and ACLs are provisioned with the rest of the
 * infrastructure. Existing topics are left as they are; creating an existing ACL changes nothing.
 *
 * <p>Run as {@code java -cp <contracts>:<kafka-clients> dev.spalce.contracts.TopicProvisioner <bootstrap>
 * [replication-factor]} with SPALCE_INTERNAL_TLS_CERT, _KEY and _CA naming the admin identity's key pair.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {}

    /** Returns the names of the topics it created. */
    public static List<String> ensureTopics(
            String bootstrapServers, short replicationFactor, Map<String, Object> adminTls)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> config = new HashMap<>(adminTls);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Stream.of(Topic.values())
                    .filter(topic -> !existing.contains(topic.topicName()))
                    .map(topic -> new NewTopic(topic.topicName(), topic.partitions(), replicationFactor))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            admin.createAcls(TopicAccess.bindings()).all().get(30, TimeUnit.SECONDS);
            return missing.stream().map(NewTopic::name).toList();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TopicProvisioner <bootstrap-servers> [replication-factor]");
            System.exit(2);
        }
        short replication = args.length > 1 ? Short.parseShort(args[1]) : 1;
        List<String> created = ensureTopics(args[0], replication, KafkaTls.fromEnvironment());
        for (Topic topic : Topic.values()) {
            System.out.printf(
                    "  %-28s %d partitions%s%n",
                    topic.topicName(), topic.partitions(), created.contains(topic.topicName()) ? "  (created)" : "");
        }
    }
}
