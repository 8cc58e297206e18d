package dev.spalce.evidence.personnel.model;

import dev.spalce.evidence.datakey.model.EnvelopedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A personnel record: every PII column a ciphertext (format 0x01) under the row's DEK, each bound to its field
 * name; {@code emailIndex} the keyed blind index of the email. See {@code V1__evidence.sql}.
 */
@Entity
@Table(name = "personnel")
public class Person extends EnvelopedRecord {

    @Column(name = "full_name_ct", nullable = false)
    public byte[] fullNameCt;

    @Column(name = "email_ct", nullable = false)
    public byte[] emailCt;

    @Column(name = "phone_ct")
    public byte[] phoneCt;

    @Column(name = "government_id_ct")
    public byte[] governmentIdCt;

    @Column(name = "email_index", nullable = false)
    public byte[] emailIndex;

    @Column
    public String department;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
