package dev.spalce.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The one encoding of every binding Spalce authenticates as associated data: a payload's
 * ({@link AssociatedData}) and a wrapped DEK's (crypto-service's wrap context). An ASCII tag for domain
 * separation, a format version byte, then each component as a 2-byte big-endian length and its UTF-8 bytes,
 * so that no two different component lists encode to the same bytes. Specified in docs/format.md.
 */
public final class BindingEncoding {

    /** The maximum length of each component, in UTF-8 bytes. */
    public static final int MAX_COMPONENT_BYTES = 256;

    private BindingEncoding() {}

    /**
     * The UTF-8 bytes of one component.
     *
     * @throws IllegalArgumentException unless {@code value} is present, non-empty, has no NUL (tools that treat strings
     *     as C strings would cut it short), no unpaired surrogate (which has no UTF-8 encoding: a lenient encoder
     *     would let two strings bind to the same bytes) and at most {@value #MAX_COMPONENT_BYTES} UTF-8 bytes
     */
    public static byte[] component(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + " must not contain NUL");
        }
        CharsetEncoder strict = StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded;
        try {
            encoded = strict.encode(CharBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " is not valid Unicode (unpaired surrogate)", e);
        }
        if (encoded.remaining() > MAX_COMPONENT_BYTES) {
            throw new IllegalArgumentException(
                    name + " is " + encoded.remaining() + " UTF-8 bytes, more than " + MAX_COMPONENT_BYTES);
        }
        return Arrays.copyOfRange(
                encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.arrayOffset() + encoded.limit());
    }

    /** {@code tag}, the version byte, then each component length-prefixed. */
    public static byte[] encode(byte[] tag, int version, List<byte[]> components) {
        if (version < 1 || version > 255) {
            throw new IllegalArgumentException("a format version is 1 to 255");
        }
        int length = tag.length + 1;
        for (byte[] component : components) {
            length += 2 + component.length;
        }
        // Sized once and filled in place: this runs for every record encrypted, decrypted, wrapped or unwrapped.
        byte[] encoding = new byte[length];
        System.arraycopy(tag, 0, encoding, 0, tag.length);
        int position = tag.length;
        encoding[position++] = (byte) version;
        for (byte[] component : components) {
            encoding[position++] = (byte) (component.length >>> 8);
            encoding[position++] = (byte) component.length;
            System.arraycopy(component, 0, encoding, position, component.length);
            position += component.length;
        }
        return encoding;
    }
}
