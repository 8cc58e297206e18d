package dev.spalce.contracts;

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
 * Creates the {@link Topic}s that do not exist yet, with their partition counts. Used by the local runtime
 * ({@code ./spalce up}) and by the test infrastructure; production topics are provisioned with the rest of the
 * infrastructure. Existing topics are left as they are.
 *
 * <p>Run as {@code java -cp <contracts>:<kafka-clients> dev.spalce.contracts.TopicProvisioner <bootstrap>
 * [replication-factor]}.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /** Returns the names of the topics it created. */
    public static List<String> ensureTopics(String bootstrapServers, short replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Stream.of(Topic.values())
                    .filter(topic -> !existing.contains(topic.topicName()))
                    .map(topic -> new NewTopic(topic.topicName(), topic.partitions(), replicationFactor))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TopicProvisioner <bootstrap-servers> [replication-factor]");
            System.exit(2);
        }
        short replication = args.length > 1 ? Short.parseShort(args[1]) : 1;
        List<String> created = ensureTopics(args[0], replication);
        for (Topic topic : Topic.values()) {
            System.out.printf("  %-28s %d partitions%s%n", topic.topicName(), topic.partitions(),
                    created.contains(topic.topicName()) ? "  (created)" : "");
        }
    }
}
