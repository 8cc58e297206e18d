package dev.spalce.evidence.file.model;

import dev.spalce.evidence.datakey.model.EnvelopedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** An evidence file's metadata; its ciphertext is the object {@code objectKey}. See {@code V1__evidence.sql}. */
@Entity
@Table(name = "evidence_file")
public class EvidenceFile extends EnvelopedRecord {

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

    @Column(name = "uploaded_by", nullable = false, updatable = false)
    public String uploadedBy;

    @Column(name = "uploaded_at", nullable = false, updatable = false)
    public Instant uploadedAt;
}
