package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Properties of the binding encodings and ciphertext parsers, over generated input (jqwik): the associated-data
 * encoding (which the wrap context shares through {@link BindingEncoding}) is injective, because it decodes back
 * to its components; {@link KmsKeyId} has one canonical form; and the field and file ciphertext parsers answer
 * anything but a genuine ciphertext with {@link BadCiphertextException} only, never another exception and never
 * a plaintext.
 */
class CodecPropertiesTest {

    private static final byte[] KEY = new byte[DataKey.LENGTH_BYTES];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private static DataKey key() {
        return DataKey.fromPlaintext(SecretBytes.copyOf(KEY));
    }

    @Provide
    Arbitrary<String> component() {
        // Any Unicode text a component may hold: 1 to 64 code points, surrogate pairs included, no NUL.
        return Arbitraries.strings()
                .all()
                .ofMinLength(1)
                .ofMaxLength(64)
                .filter(s -> s.indexOf('\0') < 0 && BindingEncodingOracle.wellFormed(s));
    }

    @Provide
    Arbitrary<List<String>> fieldBinding() {
        return component().list().ofSize(4);
    }

    /** Decodes an encoding back into its parts: if this always recovers the input, the encoding is injective. */
    private static List<String> decode(byte[] encoded, byte[] tag) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        byte[] prefix = new byte[tag.length];
        in.get(prefix);
        assertThat(prefix).isEqualTo(tag);
        in.get(); // version
        List<String> parts = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = ((in.get() & 0xff) << 8) | (in.get() & 0xff);
            byte[] part = new byte[length];
            in.get(part);
            parts.add(new String(part, StandardCharsets.UTF_8));
        }
        return parts;
    }

    @Property
    void associatedData_decodesBackToItsComponents_soItsEncodingIsInjective(
            @ForAll("fieldBinding") List<String> parts) {
        byte[] encoded = AssociatedData.forField(parts.get(0), parts.get(1), parts.get(2), parts.get(3))
                .encode(PayloadFormat.FIELD_AES_GCM);

        assertThat(decode(encoded, "spalce-ad".getBytes(StandardCharsets.US_ASCII)))
                .containsExactly("field", parts.get(0), parts.get(1), parts.get(2), parts.get(3));
    }

    @Property
    void twoDifferentBindings_neverEncodeAlike(
            @ForAll("fieldBinding") List<String> a, @ForAll("fieldBinding") List<String> b) {
        Assume.that(!a.equals(b));
        byte[] first =
                AssociatedData.forField(a.get(0), a.get(1), a.get(2), a.get(3)).encode(PayloadFormat.FIELD_AES_GCM);
        byte[] second =
                AssociatedData.forField(b.get(0), b.get(1), b.get(2), b.get(3)).encode(PayloadFormat.FIELD_AES_GCM);

        assertThat(first).isNotEqualTo(second);
    }

    @Property
    void fieldAndFileBindings_neverEncodeAlike(@ForAll("component") String tenant, @ForAll("component") String id) {
        byte[] file = AssociatedData.forFile(tenant, id).encode(PayloadFormat.STREAM_AES_GCM_HKDF);
        byte[] field =
                AssociatedData.forField(tenant, "evidence", id, "file").encode(PayloadFormat.STREAM_AES_GCM_HKDF);

        assertThat(file).isNotEqualTo(field);
    }

    @Property
    void bindingEncoding_ofAnyComponentList_decodesBack(
            @ForAll @Size(max = 6) List<@StringLength(min = 1, max = 40) String> values) {
        List<String> clean = values.stream()
                .filter(v -> v.indexOf('\0') < 0 && BindingEncodingOracle.wellFormed(v))
                .toList();
        List<byte[]> components =
                clean.stream().map(v -> BindingEncoding.component("c", v)).toList();
        byte[] tag = "spalce-wrap".getBytes(StandardCharsets.US_ASCII);

        assertThat(decode(BindingEncoding.encode(tag, 1, components), tag)).containsExactlyElementsOf(clean);
    }

    @Property
    void componentWithNulOrUnpairedSurrogate_isRefused(
            @ForAll @StringLength(max = 20) String before, @ForAll @IntRange(min = 0, max = 2) int which) {
        String bad = before + (which == 0 ? "\0" : which == 1 ? "\uD800" : "\uDFFF") + "x";
        assertThatThrownBy(() -> BindingEncoding.component("c", bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<KmsKeyId> keyIds() {
        Arbitrary<String> providers = Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
                .ofMinLength(1)
                .ofMaxLength(32);
        Arbitrary<String> references = Arbitraries.strings()
                .withCharRange('!', '~')
                .ofMinLength(1)
                .ofMaxLength(80)
                .map(s -> s.replace('#', ':'));
        Arbitrary<Integer> versions = Arbitraries.integers().between(1, Integer.MAX_VALUE);
        return Combinators.combine(providers, references, versions).as(KmsKeyId::new);
    }

    @Property
    void kmsKeyId_parsesBackFromItsCanonicalForm(@ForAll("keyIds") KmsKeyId id) {
        assertThat(KmsKeyId.parse(id.toString())).isEqualTo(id);
    }

    @Provide
    Arbitrary<String> keyIdLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab-:#v019 +\u00e9%").ofMaxLength(24),
                keyIds().map(KmsKeyId::toString).map(s -> s.replaceFirst("#v", "#v0")),
                keyIds().map(KmsKeyId::toString).map(s -> " " + s),
                keyIds().map(KmsKeyId::toString).map(s -> s + "9999999999"));
    }

    @Property
    void kmsKeyId_acceptsOnlyCanonicalText_andNothingButIllegalArgumentOtherwise(@ForAll("keyIdLike") String text) {
        Throwable failure = catchThrowable(() -> {
            KmsKeyId parsed = KmsKeyId.parse(text);
            assertThat(parsed.toString()).as("one canonical form").isEqualTo(text);
        });
        if (failure != null) {
            assertThat(failure).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 300)
    void fieldCiphertext_alteredInAnyWay_failsOnlyAsBadCiphertext(
            @ForAll @Size(max = 300) byte[] plaintext,
            @ForAll @IntRange(min = 0, max = 4) int alteration,
            @ForAll @IntRange(min = 0, max = 10_000) int where,
            @ForAll byte[] noise) {
        AssociatedData binding = AssociatedData.forField("t", "personnel", "r", "email");
        try (DataKey dek = key()) {
            FieldCipher cipher = FieldCiphers.aesGcm(dek);
            byte[] genuine = cipher.encrypt(plaintext, binding);
            byte[] altered = switch (alteration) {
                case 0 -> flip(genuine, where);
                case 1 -> Arrays.copyOf(genuine, where % genuine.length);
                case 2 -> concat(genuine, noise.length == 0 ? new byte[] {0} : noise);
                case 3 -> noise;
                default -> genuine;
            };
            AssociatedData used = alteration == 4 ? AssociatedData.forField("t", "personnel", "r", "phone") : binding;

            assertThatThrownBy(() -> cipher.decrypt(altered, used)).isInstanceOf(BadCiphertextException.class);
            assertThat(cipher.decrypt(genuine, binding)).isEqualTo(plaintext);
        }
    }

    @Property(tries = 60)
    void fileCiphertext_alteredInAnyWay_failsOnlyAsBadCiphertext(
            @ForAll @IntRange(min = 0, max = 70_000) int size,
            @ForAll @IntRange(min = 0, max = 3) int alteration,
            @ForAll @IntRange(min = 0, max = 100_000) int where)
            throws IOException {
        byte[] plaintext = new byte[size];
        new java.util.Random(size).nextBytes(plaintext);
        AssociatedData binding = AssociatedData.forFile("t", "e");
        try (DataKey dek = key()) {
            StreamCipher cipher = StreamCiphers.aesGcmHkdf(dek);
            ByteArrayOutputStream stored = new ByteArrayOutputStream();
            try (OutputStream out = cipher.encryptingStream(stored, binding)) {
                out.write(plaintext);
            }
            byte[] genuine = stored.toByteArray();
            byte[] altered = switch (alteration) {
                case 0 -> flip(genuine, where);
                case 1 -> Arrays.copyOf(genuine, where % genuine.length);
                case 2 -> concat(genuine, new byte[] {1});
                default -> genuine;
            };
            AssociatedData used = alteration == 3 ? AssociatedData.forFile("t", "other") : binding;

            Throwable failure = catchThrowable(() -> {
                try (InputStream in = cipher.decryptingStream(new ByteArrayInputStream(altered), used)) {
                    in.readAllBytes();
                }
            });
            assertThat(failure)
                    .as("altered ciphertext never yields a plaintext")
                    .isInstanceOf(BadCiphertextException.class);
            try (InputStream in = cipher.decryptingStream(new ByteArrayInputStream(genuine), binding)) {
                assertThat(in.readAllBytes()).isEqualTo(plaintext);
            }
        }
    }

    private static byte[] flip(byte[] bytes, int where) {
        byte[] copy = bytes.clone();
        copy[where % copy.length] ^= (byte) (1 << (where % 8));
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Whether a string is well-formed UTF-16 (every surrogate paired). */
    static final class BindingEncodingOracle {
        static boolean wellFormed(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return false;
                }
            }
            return s.getBytes(StandardCharsets.UTF_8).length <= BindingEncoding.MAX_COMPONENT_BYTES;
        }
    }
}
