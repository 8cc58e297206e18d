package dev.spalce.evidence.file.api;

import dev.spalce.evidence.file.model.EvidenceFile;
import dev.spalce.evidence.file.service.DownloadUrls;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The bodies of the evidence API. */
public final class EvidenceDtos {

    private EvidenceDtos() {}

    /**
     * An evidence file's metadata and chain of custody.
     *
     * @param sha256 SHA-256 of the plaintext, hex
     * @param ciphertextSha256 SHA-256 of the stored ciphertext, hex (checked before every download)
     * @param kmsKeyId the CMK version that wraps this file's DEK
     */
    public record EvidenceView(
            UUID id,
            String name,
            String mediaType,
            String controlId,
            List<String> tags,
            long sizeBytes,
            long ciphertextBytes,
            String sha256,
            String ciphertextSha256,
            String kmsKeyId,
            int formatVersion,
            String uploadedBy,
            Instant uploadedAt) {

        static EvidenceView of(EvidenceFile file) {
            return new EvidenceView(
                    file.id,
                    file.name,
                    file.mediaType,
                    file.controlId,
                    Arrays.stream(file.tags.split(","))
                            .filter(tag -> !tag.isEmpty())
                            .toList(),
                    file.sizeBytes,
                    file.ciphertextBytes,
                    file.sha256Plaintext,
                    file.sha256Ciphertext,
                    file.kmsKeyId,
                    file.formatVersion,
                    file.uploadedBy,
                    file.uploadedAt);
        }
    }

    /** A page of evidence, newest first; pass {@code nextCursor} as {@code cursor} for the next (null: last page). */
    public record EvidencePage(List<EvidenceView> items, String nextCursor) {}

    /**
     * A signed download URL.
     *
     * @param path relative to the workspace's API root ({@code /api/v1/workspaces/{ws}/} through the gateway,
     *     {@code /internal/v1/workspaces/{ws}/} internally): {@code evidence/{id}/content?expires=...&signature=...}
     * @param expiresAt when it stops working
     */
    public record DownloadUrl(String path, Instant expiresAt) {

        /** The URL of {@code collection}/{@code id}'s content, relative to the workspace, with its signed query. */
        public static DownloadUrl of(String collection, UUID id, DownloadUrls.Signed signed) {
            return new DownloadUrl(
                    collection + "/" + id + "/content?" + DownloadUrls.query(signed),
                    Instant.ofEpochSecond(signed.expires()));
        }
    }
}
