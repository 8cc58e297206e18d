package dev.spalce.evidence.checkresult.model;

import dev.spalce.evidence.datakey.model.EnvelopedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The result of one compliance check of a scan: the verdict in clear, the free-text details a ciphertext
 * (format 0x01, field {@code details}) under the row's DEK. See {@code V1__evidence.sql}.
 */
@Entity
@Table(name = "check_result")
public class CheckResult extends EnvelopedRecord {

    @Column(name = "control_id", nullable = false, updatable = false)
    public String controlId;

    /** {@code pass}, {@code fail}, {@code error} or {@code not-applicable}. */
    @Column(nullable = false, updatable = false)
    public String status;

    @Column(name = "run_id", nullable = false, updatable = false)
    public String runId;

    /** Comma-separated evidence file ids. */
    @Column(name = "evidence_ids", nullable = false, updatable = false)
    public String evidenceIds;

    @Column(name = "details_ct", nullable = false, updatable = false)
    public byte[] detailsCt;

    @Column(name = "recorded_by", nullable = false, updatable = false)
    public String recordedBy;

    @Column(name = "recorded_at", nullable = false, updatable = false)
    public Instant recordedAt;
}
