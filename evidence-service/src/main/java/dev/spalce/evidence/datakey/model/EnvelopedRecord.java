package dev.spalce.evidence.datakey.model;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.util.UUID;

/**
 * The columns every envelope-encrypted record has (docs/format.md section 2): its id and workspace (both part of
 * its ciphertexts' associated data), its DEK wrapped by the workspace's CMK, the CMK version that wrapped it (the
 * only two columns a rewrap changes), and the payload format version.
 */
@MappedSuperclass
public abstract class EnvelopedRecord {

    @Id
    public UUID id;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    public String workspaceId;

    @Column(name = "wrapped_dek", nullable = false)
    public byte[] wrappedDek;

    @Column(name = "kms_key_id", nullable = false)
    public String kmsKeyId;

    @Column(name = "format_version", nullable = false, updatable = false)
    public short formatVersion;
}
