package dev.spalce.crypto;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The provider-qualified, versioned reference to a customer master key that is stored next to every wrapped
 * DEK, in the canonical form {@code <provider>:<key-reference>#v<version>}, for example
 * {@code aws-kms:arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab#v3} or
 * {@code local:tenant-7f3c#v1}.
 *
 * <ul>
 *   <li>provider: 1 to 32 characters of {@code [a-z0-9-]} ({@code aws-kms}, {@code gcp-kms}, {@code azure-kv},
 *       {@code vault-transit}, {@code local}, {@code pkcs11});</li>
 *   <li>key reference: the provider's own name for the key, 1 to 1024 printable ASCII characters other than
 *       {@code #} (it may contain {@code :}, as ARNs do);</li>
 *   <li>version: 1 or more, written in decimal without leading zeros.</li>
 * </ul>
 *
 * <p>Every accepted string has exactly one parse, and {@link #toString()} gives it back unchanged. Not secret.
 *
 * @param provider the provider id, e.g. {@code aws-kms}
 * @param reference the key reference inside the provider
 * @param version the key version, 1 or more
 */
public record KmsKeyId(String provider, String reference, int version) {

    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern REFERENCE = Pattern.compile("[\\x21-\\x22\\x24-\\x7e]{1,1024}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,9}");
    private static final String VERSION_MARKER = "#v";

    /** Validates every part; see the class description for the rules. */
    public KmsKeyId {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(reference, "reference");
        if (!PROVIDER.matcher(provider).matches()) {
            throw new IllegalArgumentException("KMS provider id must be 1-32 characters of [a-z0-9-]");
        }
        if (!REFERENCE.matcher(reference).matches()) {
            throw new IllegalArgumentException(
                    "KMS key reference must be 1-1024 printable ASCII characters without '#' or spaces");
        }
        if (version < 1) {
            throw new IllegalArgumentException("KMS key version must be 1 or more, got " + version);
        }
    }

    /** Same as the canonical constructor. */
    public static KmsKeyId of(String provider, String reference, int version) {
        return new KmsKeyId(provider, reference, version);
    }

    /**
     * Parses the canonical form.
     *
     * @throws IllegalArgumentException if {@code text} is not in canonical form
     */
    public static KmsKeyId parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        int marker = text.lastIndexOf(VERSION_MARKER);
        if (colon <= 0 || marker <= colon + 1) {
            throw new IllegalArgumentException(
                    "not a KMS key id: expected <provider>:<key-reference>#v<version>, e.g. local:tenant-7f3c#v1");
        }
        String versionText = text.substring(marker + VERSION_MARKER.length());
        if (!VERSION.matcher(versionText).matches() || Long.parseLong(versionText) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "not a KMS key id: the version after '#v' must be a decimal number from 1 to " + Integer.MAX_VALUE
                            + " without leading zeros");
        }
        return new KmsKeyId(text.substring(0, colon), text.substring(colon + 1, marker), Integer.parseInt(versionText));
    }

    /** The same key at another version, e.g. the target of a rewrap. */
    public KmsKeyId withVersion(int newVersion) {
        return new KmsKeyId(provider, reference, newVersion);
    }

    /** The canonical form, {@code <provider>:<key-reference>#v<version>}. */
    @Override
    public String toString() {
        return provider + ':' + reference + VERSION_MARKER + version;
    }
}
