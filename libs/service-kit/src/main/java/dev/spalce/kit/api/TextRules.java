package dev.spalce.kit.api;

/**
 * What text a client may send. PostgreSQL's {@code text} cannot hold U+0000, and an unpaired UTF-16 surrogate
 * is not Unicode at all (its UTF-8 encoding silently becomes {@code ?}): either would be stored as something
 * other than what the client sent, so both are refused in every JSON string. Names also refuse the Unicode
 * bidirectional controls, which can make {@code report‮fdp.exe} display as {@code reportexe.pdf}.
 */
public final class TextRules {

    /**
     * A regular expression that matches text without bidirectional controls (U+202A-202E, U+2066-2069, U+200E,
     * U+200F, U+061C), for {@code @Pattern} on names.
     */
    public static final String NO_BIDI_CONTROLS =
            "[^\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}\\x{200E}\\x{200F}\\x{061C}]*";

    /** The message of a {@code @Pattern(regexp = NO_BIDI_CONTROLS)} violation. */
    public static final String NO_BIDI_CONTROLS_MESSAGE =
            "must not contain bidirectional control characters (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C)";

    private TextRules() {}

    /** Why {@code text} cannot be stored exactly as sent, or null when it can. */
    public static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate, which is not a Unicode character";
            }
        }
        return null;
    }

    /** True when {@code text} holds a bidirectional control character. */
    public static boolean hasBidiControl(String text) {
        return text.chars().anyMatch(TextRules::isBidiControl);
    }

    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E
                || c == 0x200F
                || c == 0x061C;
    }

    /** Refuses (400 invalid-request) a request parameter that cannot be stored exactly, or that is a name with bidi controls. */
    public static String requireStorableName(String parameter, String value) {
        if (value == null) {
            return null;
        }
        String why = unstorable(value);
        if (why == null && hasBidiControl(value)) {
            why = NO_BIDI_CONTROLS_MESSAGE;
        }
        if (why != null) {
            throw ProblemException.invalid("'" + parameter + "' " + why);
        }
        return value;
    }
}
