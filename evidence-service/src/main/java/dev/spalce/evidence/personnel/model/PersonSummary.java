package dev.spalce.evidence.personnel.model;

import java.time.Instant;
import java.util.UUID;

/**
 * What may be shown of a person without their PII: the id, the department (stored in clear), the CMK version that
 * wraps the row's DEK, and the times. Loaded as a projection, so that no ciphertext column is even read.
 */
public record PersonSummary(UUID id, String department, String kmsKeyId, Instant createdAt, Instant updatedAt) {}
