package dev.spalce.kit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The text rules every JSON body goes through, and the problem+json {@code instance} mapping, over generated input
 * (jqwik).
 */
class TextAndProblemPropertiesTest {

    @Provide
    Arbitrary<String> anyUtf16() {
        // Any UTF-16 code units, lone surrogates and NUL included.
        return Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(12);
    }

    /** What PostgreSQL stores unchanged: UTF-8-encodable text without U+0000. */
    private static boolean storesExactly(String text) {
        if (text.indexOf('\0') >= 0) {
            return false;
        }
        try {
            StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Property(tries = 3000)
    void text_isRefusedExactlyWhenItCannotBeStoredAsSent(@ForAll("anyUtf16") String text) {
        assertThat(TextRules.unstorable(text) == null).isEqualTo(storesExactly(text));
    }

    @Property(tries = 2000)
    void bidiControl_isFoundWhereverItIs(@ForAll("anyUtf16") String before, @ForAll("anyUtf16") String after) {
        String control = String.valueOf("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C"
                .charAt(Math.floorMod(before.hashCode(), 12)));
        assertThat(TextRules.hasBidiControl(before + control + after)).isTrue();
        assertThat((before + control + after).matches(TextRules.NO_BIDI_CONTROLS))
                .isFalse();
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment =
                Arbitraries.strings().withChars("abcdefgh-0123/.%").ofMaxLength(12);
        return Arbitraries.oneOf(
                segment.map(s -> "/internal/" + s),
                segment.map(s -> "/internal/v1/workspaces/" + s),
                segment.map(s -> "/api/v1/" + s),
                segment.map(s -> "/" + s));
    }

    @Property(tries = 2000)
    void problemInstance_neverNamesAnInternalPath(@ForAll("paths") String path) {
        String instance = Problem.publicInstance(path);
        if (instance != null) {
            assertThat(instance).doesNotStartWith("/internal");
        }
        if (path.startsWith("/internal/v1/workspaces/")) {
            assertThat(instance).isEqualTo("/api/v1/workspaces/" + path.substring("/internal/v1/workspaces/".length()));
        }
    }
}
