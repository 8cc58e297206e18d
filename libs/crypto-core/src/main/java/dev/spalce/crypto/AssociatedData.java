package dev.spalce.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a ciphertext is bound to: a field of one record of one tenant, or one evidence file of one tenant. A
 * ciphertext decrypts only with the associated data it was encrypted with, so a ciphertext copied to another
 * row, field or tenant fails to decrypt.
 *
 * <p>Each component is a non-empty string of at most {@value #MAX_COMPONENT_BYTES} UTF-8 bytes, without NUL
 * (so that tools that treat strings as C strings cannot silently cut one short) and without unpaired
 * surrogates (which have no UTF-8 encoding: a lenient encoder would replace them with {@code ?} and let two
 * different strings bind to the same bytes). Components are compared byte for byte; no Unicode normalisation
 * takes place.
 *
 * <p>The key version is deliberately not part of it, so that rewrapping a DEK under a new CMK version never
 * touches a payload. The byte encoding, which includes the payload format version, is specified in
 * docs/format.md.
 *
 * <p>Immutable. Not secret: {@code toString} shows the components.
 */
public final class AssociatedData {

    /** The maximum length of each component, in UTF-8 bytes. */
    public static final int MAX_COMPONENT_BYTES = BindingEncoding.MAX_COMPONENT_BYTES;

    /** Domain separation: these bytes begin every encoding, so it cannot be mistaken for any other protocol's. */
    private static final byte[] TAG = "spalce-ad".getBytes(StandardCharsets.US_ASCII);

    /** What the ciphertext protects; its name is the first encoded component. */
    enum Kind {
        FIELD("field"),
        FILE("file");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final List<String> components;
    private final List<byte[]> encodedComponents;

    private AssociatedData(Kind kind, String[] names, String... values) {
        List<byte[]> encoded = new ArrayList<>(values.length + 1);
        encoded.add(kind.label.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < values.length; i++) {
            encoded.add(BindingEncoding.component(names[i], values[i]));
        }
        this.kind = kind;
        this.components = List.of(values);
        this.encodedComponents = List.copyOf(encoded);
    }

    /** Binds a field ciphertext to (tenant, record type, record id, field name). */
    public static AssociatedData forField(String tenantId, String recordType, String recordId, String fieldName) {
        return new AssociatedData(
                Kind.FIELD,
                new String[] {"tenantId", "recordType", "recordId", "fieldName"},
                tenantId,
                recordType,
                recordId,
                fieldName);
    }

    /** Binds a file ciphertext to (tenant, evidence id). */
    public static AssociatedData forFile(String tenantId, String evidenceId) {
        return new AssociatedData(Kind.FILE, new String[] {"tenantId", "evidenceId"}, tenantId, evidenceId);
    }

    /**
     * The canonical bytes authenticated with a payload of the given format: {@code "spalce-ad"}, the format
     * version byte, then each component (kind first) as a 2-byte big-endian length and its UTF-8 bytes.
     */
    byte[] encode(PayloadFormat format) {
        return BindingEncoding.encode(TAG, format.version(), encodedComponents);
    }

    /** Fails unless this binds the kind of payload a cipher protects, so that field and file bindings never mix. */
    void requireKind(Kind expected) {
        if (kind != expected) {
            throw new IllegalArgumentException("this cipher needs associated data made by AssociatedData."
                    + (expected == Kind.FIELD ? "forField" : "forFile") + ", got " + kind.label + " associated data");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AssociatedData
                && kind == ((AssociatedData) other).kind
                && components.equals(((AssociatedData) other).components);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, components);
    }

    @Override
    public String toString() {
        return "AssociatedData[" + kind.label + " " + components + "]";
    }
}
