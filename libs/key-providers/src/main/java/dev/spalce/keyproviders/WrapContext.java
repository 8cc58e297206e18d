package dev.spalce.keyproviders;

import dev.spalce.crypto.BindingEncoding;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a wrapped DEK is bound to: one record of one tenant. A wrapped DEK unwraps only with the context it was
 * wrapped with, so a {@code wrapped_dek} copied to another record or tenant does not unwrap, even under the right
 * key. It deliberately holds no key version, so a rewrap keeps it.
 *
 * <p>Providers that wrap with AES-GCM themselves (local, pkcs11) authenticate {@link #encode(int)} as AAD; cloud
 * providers pass {@link #asEncryptionContext()} as their encryption context (AWS KMS), additional authenticated
 * data (GCP KMS) or context (Vault transit); Azure Key Vault, which takes none, wraps SHA-256 of
 * {@link #encode(int)} with the DEK. All are specified in docs/format.md, section 9.
 *
 * <p>Each component is a non-empty string of at most {@value #MAX_COMPONENT_BYTES} UTF-8 bytes, without NUL and
 * without unpaired surrogates, compared byte for byte (the same rules as the payload's associated data).
 * Immutable; not secret.
 */
public final class WrapContext {

    /** The maximum length of each component, in UTF-8 bytes. */
    public static final int MAX_COMPONENT_BYTES = BindingEncoding.MAX_COMPONENT_BYTES;

    /** Domain separation: these bytes begin every encoding, so it is never mistaken for a payload's associated data. */
    private static final byte[] TAG = "spalce-dek".getBytes(StandardCharsets.US_ASCII);

    private final String tenantId;
    private final String recordType;
    private final String recordId;
    private final byte[][] encodedComponents;

    private WrapContext(String tenantId, String recordType, String recordId) {
        this.encodedComponents = new byte[][] {
            BindingEncoding.component("tenantId", tenantId),
            BindingEncoding.component("recordType", recordType),
            BindingEncoding.component("recordId", recordId)
        };
        this.tenantId = tenantId;
        this.recordType = recordType;
        this.recordId = recordId;
    }

    /**
     * The context of one record's DEK.
     *
     * @throws IllegalArgumentException if a component breaks the rules of the class description
     */
    public static WrapContext of(String tenantId, String recordType, String recordId) {
        return new WrapContext(tenantId, recordType, recordId);
    }

    public String tenantId() {
        return tenantId;
    }

    public String recordType() {
        return recordType;
    }

    public String recordId() {
        return recordId;
    }

    /**
     * The canonical bytes authenticated with a wrapped DEK of the given wrapped-key format: {@code "spalce-dek"},
     * the format byte, then tenant id, record type and record id, each as a 2-byte big-endian length and its UTF-8
     * bytes.
     */
    public byte[] encode(int wrapFormatVersion) {
        return BindingEncoding.encode(TAG, wrapFormatVersion, Arrays.asList(encodedComponents));
    }

    /**
     * The same binding as a string map, for providers whose API takes an encryption context: keys
     * {@code spalce:tenant}, {@code spalce:record-type}, {@code spalce:record-id}, in that order.
     */
    public Map<String, String> asEncryptionContext() {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("spalce:tenant", tenantId);
        context.put("spalce:record-type", recordType);
        context.put("spalce:record-id", recordId);
        return java.util.Collections.unmodifiableMap(context);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrapContext that
                && tenantId.equals(that.tenantId)
                && recordType.equals(that.recordType)
                && recordId.equals(that.recordId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenantId, recordType, recordId);
    }

    @Override
    public String toString() {
        return "WrapContext[tenant " + tenantId + ", " + recordType + " " + recordId + "]";
    }
}
