package dev.spalce.contracts;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Publishes {@link Topic} names as configuration ({@code spalce.topic.audit=spalce.audit.v1}, ...), so that
 * channel configuration such as {@code mp.messaging.outgoing.audit.topic=${spalce.topic.audit}} never repeats a
 * topic name. Registered through {@code META-INF/services}; a low ordinal lets an operator override a name.
 */
public final class TopicConfigSource implements ConfigSource {

    private static final Map<String, String> PROPERTIES =
            Stream.of(Topic.values()).collect(Collectors.toUnmodifiableMap(Topic::configProperty, Topic::topicName));

    @Override
    public Map<String, String> getProperties() {
        return PROPERTIES;
    }

    @Override
    public Set<String> getPropertyNames() {
        return PROPERTIES.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTIES.get(propertyName);
    }

    @Override
    public String getName() {
        return "spalce-topics";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
