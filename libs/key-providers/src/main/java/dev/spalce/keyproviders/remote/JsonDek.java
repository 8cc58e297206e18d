package dev.spalce.keyproviders.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.SecretBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A DEK in a KMS's JSON request or answer (a base64 field), encoded into and decoded from arrays that are zeroed
 * here: the DEK never becomes a String, which could not be erased.
 */
public final class JsonDek {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonDek() {}

    /**
     * A JSON request body: {@code head}, the base64 of the DEK, then {@code tail}; e.g. head
     * {@code {"plaintext":"} and tail {@code "}}. The caller zeroes the returned array once sent.
     */
    public static byte[] write(String head, DataKey dek, String tail) {
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        byte[] end = tail.getBytes(StandardCharsets.UTF_8);
        byte[] raw;
        try (SecretBytes plaintext = dek.plaintext(InsecureKeyAccess.get())) {
            raw = plaintext.toByteArray(InsecureKeyAccess.get());
        }
        byte[] encoded = Base64.getEncoder().encode(raw);
        Arrays.fill(raw, (byte) 0);
        byte[] body = new byte[start.length + encoded.length + end.length];
        System.arraycopy(start, 0, body, 0, start.length);
        System.arraycopy(encoded, 0, body, start.length, encoded.length);
        System.arraycopy(end, 0, body, start.length + encoded.length, end.length);
        Arrays.fill(encoded, (byte) 0);
        return body;
    }

    /**
     * The DEK in the base64 string at {@code path} (object field names from the top, e.g. {@code data, plaintext}).
     *
     * @param kms the KMS's name, for messages
     * @throws BadCiphertextException if the field does not hold a {@value DataKey#LENGTH_BYTES}-byte DEK
     * @throws UncheckedIOException if the answer is not JSON or has no such field
     */
    public static DataKey read(byte[] answer, List<String> path, String kms) {
        try (JsonParser parser = JSON.createParser(answer)) {
            int depth = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT) {
                    depth--;
                } else if (token == JsonToken.FIELD_NAME
                        && depth == path.size()
                        && path.get(depth - 1).equals(parser.currentName())) {
                    parser.nextToken();
                    byte[] raw = parser.getBinaryValue();
                    try {
                        if (raw.length != DataKey.LENGTH_BYTES) {
                            throw new BadCiphertextException(
                                    "the " + kms + " ciphertext does not hold a " + DataKey.LENGTH_BYTES + "-byte DEK");
                        }
                        try (SecretBytes plaintext = SecretBytes.copyOf(raw)) {
                            return DataKey.fromPlaintext(plaintext);
                        }
                    } finally {
                        Arrays.fill(raw, (byte) 0);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(kms + "'s answer is not JSON", e);
        }
        throw new UncheckedIOException(new IOException(kms + "'s answer has no " + String.join(".", path)));
    }
}
