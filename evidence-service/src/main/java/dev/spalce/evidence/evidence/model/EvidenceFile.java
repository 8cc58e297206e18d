package dev.spalce.evidence.evidence.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An evidence file's metadata; its ciphertext is the object {@code objectKey}. See {@code V1__evidence.sql}. */
@Entity
@Table(name = "evidence_file")
public class EvidenceFile {

    @Id
    public UUID id;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    public String workspaceId;

    @Column(nullable = false, updatable = false)
    public String name;

    @Column(name = "media_type", nullable = false, updatable = false)
    public String mediaType;

    @Column(name = "control_id", updatable = false)
    public String controlId;

    /** {@code ,tag1,tag2,} */
    @Column(nullable = false, updatable = false)
    public String tags;

    @Column(name = "size_bytes", nullable = false, updatable = false)
    public long sizeBytes;

    @Column(name = "ciphertext_bytes", nullable = false, updatable = false)
    public long ciphertextBytes;

    @Column(name = "sha256_plaintext", nullable = false, updatable = false)
    public String sha256Plaintext;

    @Column(name = "sha256_ciphertext", nullable = false, updatable = false)
    public String sha256Ciphertext;

    @Column(name = "object_key", nullable = false, updatable = false)
    public String objectKey;

    @Column(name = "wrapped_dek", nullable = false)
    public byte[] wrappedDek;

    @Column(name = "kms_key_id", nullable = false)
    public String kmsKeyId;

    @Column(name = "format_version", nullable = false, updatable = false)
    public short formatVersion;

    @Column(name = "uploaded_by", nullable = false, updatable = false)
    public String uploadedBy;

    @Column(name = "uploaded_at", nullable = false, updatable = false)
    public Instant uploadedAt;
}
