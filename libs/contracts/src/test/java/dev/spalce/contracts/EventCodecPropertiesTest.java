package dev.spalce.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The CloudEvents codec over generated input (jqwik): an event survives encode and decode unchanged, and any
 * other text, truncations and mutations of genuine events included, is refused with {@link InvalidEventException}
 * only.
 */
class EventCodecPropertiesTest {

    @Provide
    Arbitrary<CloudEvent> events() {
        Arbitrary<String> text = Arbitraries.strings()
                .all()
                .ofMinLength(1)
                .ofMaxLength(30)
                .filter(s -> !s.isBlank() && s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
        Arbitrary<Instant> times =
                Arbitraries.longs().between(0, 4_102_444_800L).map(Instant::ofEpochSecond);
        Arbitrary<ObjectNode> data = Arbitraries.maps(text, text).ofMaxSize(4).map(map -> {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            map.forEach(node::put);
            return node;
        });
        return Combinators.combine(text, text, text, times, text, data)
                .as((id, source, type, time, workspace, payload) -> {
                    try {
                        return new CloudEvent(id, source, type, time, workspace, payload);
                    } catch (InvalidEventException notAnEvent) {
                        return null;
                    }
                })
                .filter(java.util.Objects::nonNull);
    }

    @Property(tries = 500)
    void event_survivesEncodeAndDecode(@ForAll("events") CloudEvent event) {
        assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
    }

    @Provide
    Arbitrary<String> notQuiteEvents() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-tfnul ").ofMaxLength(60),
                Combinators.combine(
                                events().map(EventCodec::encode),
                                Arbitraries.integers().between(0, 400))
                        .as((json, cut) -> json.substring(0, Math.min(cut, json.length()))),
                Combinators.combine(
                                events().map(EventCodec::encode),
                                Arbitraries.integers().between(0, 400),
                                Arbitraries.chars().all())
                        .as((json, at, c) -> {
                            StringBuilder mutated = new StringBuilder(json);
                            mutated.setCharAt(Math.min(at, json.length() - 1), c);
                            return mutated.toString();
                        }));
    }

    @Property(tries = 2000)
    void anyOtherText_isRefusedOnlyAsAnInvalidEvent(@ForAll("notQuiteEvents") String text) {
        Throwable failure = catchThrowable(() -> EventCodec.decode(text));
        if (failure != null) {
            assertThat(failure).isInstanceOf(InvalidEventException.class);
        }
    }
}
