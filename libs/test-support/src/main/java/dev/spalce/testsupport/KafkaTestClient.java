package dev.spalce.testsupport;

import dev.spalce.contracts.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients on the shared broker, for tests that play a producer or a consumer of a service. They speak
 * the broker's mutual TLS as the admin identity (a super user), unless a test names the identity it acts as.
 */
public final class KafkaTestClient {

    private KafkaTestClient() {}

    /** Sends one record as Spalce's producers do: a structured CloudEvent, with its content-type header. */
    public static void sendCloudEvent(String topic, String key, String value) {
        send(
                topic,
                key,
                value,
                new RecordHeaders().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    public static void send(String topic, String key, String value) {
        send(topic, key, value, new RecordHeaders());
    }

    private static void send(String topic, String key, String value, Headers headers) {
        try {
            sendAs(Infrastructure.kafkaTls(InternalTls.ADMIN), topic, key, value, headers);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /**
     * Sends one record with the client settings {@code security} ({@link Infrastructure#kafkaTls}, or none at all)
     * and waits for the broker's answer; its refusal comes back as the ExecutionException.
     */
    public static void sendAs(Map<String, Object> security, String topic, String key, String value, Headers headers)
            throws ExecutionException, TimeoutException {
        Infrastructure.ensureReady();
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.KAFKA_BOOTSTRAP);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> consumerConfig(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(Infrastructure.kafkaTls(InternalTls.ADMIN));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.KAFKA_BOOTSTRAP);
        config.putAll(settings);
        return config;
    }

    /** Every record on {@code topic} up to its current end, read from the beginning of every partition. */
    public static List<ConsumerRecord<String, String>> records(String topic, Duration timeout) {
        Infrastructure.ensureReady();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                consumerConfig(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(250)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * Reads {@code topic} from the beginning with a fresh consumer group until a record matches, or fails after
     * the timeout.
     */
    public static ConsumerRecord<String, String> awaitRecord(
            String topic, Predicate<ConsumerRecord<String, String>> match, Duration timeout) {
        Infrastructure.ensureReady();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                consumerConfig(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(250))) {
                    if (match.test(record)) {
                        return record;
                    }
                    seen.add(record.key());
                }
            }
            throw new AssertionError(
                    "no matching record on " + topic + " within " + timeout + " (" + seen.size() + " others seen)");
        }
    }
}
