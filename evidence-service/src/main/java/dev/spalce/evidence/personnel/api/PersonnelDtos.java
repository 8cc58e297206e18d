package dev.spalce.evidence.personnel.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spalce.evidence.common.api.RecordError;
import dev.spalce.evidence.personnel.service.PersonnelService.PersonData;
import dev.spalce.evidence.personnel.service.PersonnelService.PersonRecord;
import dev.spalce.kit.api.TextRules;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The bodies of the personnel API. */
public final class PersonnelDtos {

    private PersonnelDtos() {}

    /** A person's record as written: {@code fullName} and {@code email} required. */
    public record PersonInput(
            @NotBlank @Size(max = 256) @Pattern(regexp = TextRules.NO_BIDI_CONTROLS, message = TextRules.NO_BIDI_CONTROLS_MESSAGE) String fullName,

            @NotBlank @Email @Size(max = 320) String email,
            @Pattern(regexp = "\\+?[0-9 ()./-]{3,32}") String phone,
            @Size(min = 1, max = 64) String governmentId,
            @Size(max = 128) String department) {

        PersonData data() {
            return new PersonData(fullName, email, phone, governmentId, department);
        }
    }

    /** An exact-match lookup by email, sent in a body so that the address stays out of URLs. */
    public record EmailLookup(
            @NotBlank @Email @Size(max = 320) String email) {}

    /**
     * A decrypted record; in a page, a record that could not be read has no fields but its id, key version and
     * times, and {@code error} says why.
     */
    public record PersonView(
            UUID id,
            String fullName,
            String email,
            String phone,
            String governmentId,
            String department,
            String kmsKeyId,
            Instant createdAt,
            Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) RecordError error) {

        static PersonView of(PersonRecord record) {
            PersonData data = record.data();
            if (data == null) {
                return new PersonView(
                        record.id(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        record.kmsKeyId(),
                        record.createdAt(),
                        record.updatedAt(),
                        RecordError.of(record.unreadable()));
            }
            return new PersonView(
                    record.id(),
                    data.fullName(),
                    data.email(),
                    data.phone(),
                    data.governmentId(),
                    data.department(),
                    record.kmsKeyId(),
                    record.createdAt(),
                    record.updatedAt(),
                    null);
        }
    }

    /** A page in creation order; pass {@code nextCursor} as {@code cursor} for the next (null: last page). */
    public record PersonPage(List<PersonView> items, String nextCursor) {}
}
