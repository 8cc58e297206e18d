package dev.spalce.benchmarks.audit;

import static dev.spalce.benchmarks.LocalSuite.env;

import dev.spalce.contracts.CloudEvent;
import dev.spalce.contracts.EventCodec;
import dev.spalce.contracts.KafkaTls;
import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditPayload;
import dev.spalce.contracts.audit.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Ingest throughput of the running audit-log-service (./spalce up): sends N audit events over W workspaces to
 * Kafka as fast as the producer goes, then waits until every one is chained and stored, and reports events per
 * second from the first send to the last row. {@code java -cp benchmarks.jar
 * dev.spalce.benchmarks.audit.AuditIngestBenchmark [events] [workspaces]}; reads SPALCE_KAFKA_BOOTSTRAP,
 * SPALCE_DB_HOST/PORT/ADMIN_USER/ADMIN_PASSWORD like the local runtime.
 */
public final class AuditIngestBenchmark {

    private AuditIngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int workspaces = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = env("SPALCE_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
        String jdbc = "jdbc:postgresql://" + env("SPALCE_DB_HOST", "127.0.0.1") + ":" + env("SPALCE_DB_PORT", "5432")
                + "/spalce";

        long start = System.nanoTime();
        // The broker's mutual TLS listener, as evidence-service (a writer of audit events) of the local PKI.
        Path pki = Path.of(env("SPALCE_STATE_DIR", ".spalce"), "pki");
        Map<String, Object> config = new HashMap<>(KafkaTls.client(
                pki.resolve("evidence-service.crt"), pki.resolve("evidence-service.key"), pki.resolve("ca.crt")));
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.BATCH_SIZE_CONFIG, "262144",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < events; i++) {
                String workspace = run + "-" + (i % workspaces);
                AuditPayload payload = new AuditPayload(
                        AuditPayload.Actor.user("user-" + (i % 97)),
                        new AuditPayload.Target("evidence", "ev-" + i),
                        Outcome.SUCCESS,
                        "req-" + i,
                        "203.0.113.7",
                        Map.of("bytes", Integer.toString(i)));
                CloudEvent event = CloudEvent.create(
                        "/spalce/evidence-service", "evidence.uploaded", workspace, EventCodec.toData(payload));
                RecordHeaders headers = new RecordHeaders();
                headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
                producer.send(new ProducerRecord<>(
                        Topic.AUDIT.topicName(), null, workspace, EventCodec.encode(event), headers));
            }
            producer.flush();
        }
        double sentSeconds = (System.nanoTime() - start) / 1e9;

        long stored = 0;
        try (Connection db = DriverManager.getConnection(
                        jdbc, env("SPALCE_DB_ADMIN_USER", "postgres"), env("SPALCE_DB_ADMIN_PASSWORD", ""));
                PreparedStatement count =
                        db.prepareStatement("SELECT count(*) FROM audit.audit_entry WHERE workspace_id LIKE ?")) {
            count.setString(1, run + "-%");
            long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000;
            while (stored < events && System.nanoTime() < deadline) {
                Thread.sleep(250);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    stored = rows.getLong(1);
                }
            }
        }
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "events=%d%nworkspaces=%d%nsent_seconds=%.2f%nstored=%d%ningest_seconds=%.2f%n"
                        + "ingest_per_second=%.0f%n",
                events, workspaces, sentSeconds, stored, totalSeconds, stored / totalSeconds);
        if (stored != events) {
            throw new IllegalStateException("only " + stored + " of " + events + " events were stored");
        }
    }
}
