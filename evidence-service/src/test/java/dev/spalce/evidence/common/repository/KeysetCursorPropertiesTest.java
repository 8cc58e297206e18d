package dev.spalce.evidence.common.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spalce.kit.api.ProblemException;
import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The list APIs' cursors over generated input (jqwik): a cursor the service issued reads back to its position, and
 * any other text is refused as a 400 problem, or is exactly a cursor the service could have issued: one position,
 * one spelling.
 */
class KeysetCursorPropertiesTest {

    @Provide
    Arbitrary<Instant> times() {
        return Arbitraries.longs()
                .between(0, 4_102_444_800_000_000L)
                .map(micros -> Instant.EPOCH.plusNanos(micros * 1000));
    }

    @Property(tries = 1000)
    void issuedCursor_readsBackToItsPosition(@ForAll("times") Instant time, @ForAll long most, @ForAll long least) {
        UUID id = new UUID(most, least);
        KeysetCursor parsed = KeysetCursor.parse(KeysetCursor.after(time, id));

        assertThat(parsed.afterTime()).isEqualTo(time);
        assertThat(parsed.afterId()).isEqualTo(id);
    }

    @Provide
    Arbitrary<String> cursorLike() {
        Arbitrary<String> issued = Combinators.combine(times(), Arbitraries.longs(), Arbitraries.longs())
                .as((t, m, l) -> KeysetCursor.after(t, new UUID(m, l)));
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEF-_+ ").ofMaxLength(50),
                issued.map(c -> "0" + c),
                issued.map(c -> "+" + c),
                issued.map(String::toUpperCase),
                issued.map(c -> c + "_x"),
                issued.map(c -> c.replaceFirst("-0+", "-")),
                issued.map(c -> "-" + c),
                Arbitraries.strings().all().ofMaxLength(20));
    }

    @Property(tries = 3000)
    void anyOtherText_isRefusedAs400_orIsTheCanonicalSpellingOfItsPosition(@ForAll("cursorLike") String text) {
        Throwable failure = catchThrowable(() -> {
            KeysetCursor parsed = KeysetCursor.parse(text);
            assertThat(KeysetCursor.after(parsed.afterTime(), parsed.afterId()))
                    .as("one spelling")
                    .isEqualTo(text);
        });
        if (failure != null) {
            assertThat(failure).isInstanceOf(ProblemException.class);
            assertThat(((ProblemException) failure).status()).isEqualTo(400);
        }
    }
}
