package dev.spalce.keyproviders;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A CMK as its provider knows it.
 *
 * @param reference the provider's name for the key
 * @param currentVersion the version the provider considers current (for local and pkcs11, the newest)
 * @param versions every version, oldest first
 */
public record KeyDescription(String reference, int currentVersion, List<Version> versions) {

    /**
     * @param version the version number, 1 or more
     * @param enabled whether the provider will use it
     */
    public record Version(int version, boolean enabled) {}

    public KeyDescription {
        Objects.requireNonNull(reference, "reference");
        versions = versions.stream()
                .sorted(Comparator.comparingInt(Version::version))
                .toList();
        if (versions.stream().noneMatch(v -> v.version() == currentVersion)) {
            throw new IllegalArgumentException("the current version must be one of the versions");
        }
    }
}
