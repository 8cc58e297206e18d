package dev.spalce.evidence.personnel.service;

import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.FieldCipher;
import dev.spalce.crypto.FieldCiphers;
import dev.spalce.crypto.PayloadFormat;
import dev.spalce.evidence.common.api.EvidenceProblems;
import dev.spalce.evidence.common.repository.KeysetCursor;
import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.evidence.datakey.model.WrappedKeyRow;
import dev.spalce.evidence.datakey.service.DataKeys;
import dev.spalce.evidence.datakey.service.OpenedKey;
import dev.spalce.evidence.datakey.service.UnreadableRecords;
import dev.spalce.evidence.personnel.model.Person;
import dev.spalce.evidence.personnel.model.PersonSummary;
import dev.spalce.evidence.personnel.repository.PersonRepository;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Personnel records with column-level encryption: one DEK per row, each PII field encrypted on its own and bound
 * to (workspace, "personnel", row id, field name). Reading a page opens every row's DEK with one batched unwrap
 * call. Every read and change is audited (no PII in the event). The masked listing reads no PII at all: it opens no
 * key, decrypts nothing and is not a personnel read.
 */
@ApplicationScoped
public class PersonnelService {

    /** The record type personnel DEKs are minted for. */
    public static final String RECORD_TYPE = "personnel";

    static final String FULL_NAME = "full_name";
    static final String EMAIL = "email";
    static final String PHONE = "phone";
    static final String GOVERNMENT_ID = "government_id";

    /** The PII of one person, in clear (only ever in memory). */
    public record PersonData(String fullName, String email, String phone, String governmentId, String department) {}

    /**
     * A decrypted record, or one that could not be read: then {@code data} is null and {@code unreadable} says why
     * (its wrapped DEK does not authenticate, its key version is refused, a field fails authentication).
     */
    public record PersonRecord(
            UUID id,
            PersonData data,
            String kmsKeyId,
            Instant createdAt,
            Instant updatedAt,
            ProblemException unreadable) {

        PersonRecord(UUID id, PersonData data, String kmsKeyId, Instant createdAt, Instant updatedAt) {
            this(id, data, kmsKeyId, createdAt, updatedAt, null);
        }

        static PersonRecord unreadable(Person row, ProblemException why) {
            return new PersonRecord(row.id, null, row.kmsKeyId, row.createdAt, row.updatedAt, why);
        }
    }

    public record Page(List<PersonRecord> items, String nextCursor) {}

    /** A page of summaries; {@code nextCursor} null on the last page. */
    public record MaskedPage(List<PersonSummary> items, String nextCursor) {}

    private final PersonRepository people;
    private final WorkspaceScope scope;
    private final DataKeys dataKeys;
    private final BlindIndex index;
    private final AuditTrail audit;
    private final UnreadableRecords unreadable;

    public PersonnelService(
            PersonRepository people,
            WorkspaceScope scope,
            DataKeys dataKeys,
            BlindIndex index,
            AuditTrail audit,
            UnreadableRecords unreadable) {
        this.people = people;
        this.scope = scope;
        this.dataKeys = dataKeys;
        this.index = index;
        this.audit = audit;
        this.unreadable = unreadable;
    }

    public Uni<PersonRecord> create(String workspaceId, Actor actor, PersonData data) {
        UUID id = UUID.randomUUID();
        return dataKeys.mint(workspaceId, RECORD_TYPE, id.toString()).chain(minted -> {
            Person person = new Person();
            try (minted) {
                person.id = id;
                person.workspaceId = workspaceId;
                encrypt(person, data, minted.dek());
                person.wrappedDek = minted.wrappedDek();
                person.kmsKeyId = minted.kmsKeyId();
            }
            person.formatVersion = (short) PayloadFormat.FIELD_AES_GCM.version();
            person.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            person.updatedAt = person.createdAt;
            return scope.transaction(
                            workspaceId,
                            () -> people.persist(person)
                                    .call(() -> audit.record(
                                            workspaceId,
                                            AuditAction.PERSONNEL_CREATED,
                                            actor,
                                            target(id),
                                            Outcome.SUCCESS,
                                            Map.of())))
                    .map(stored -> new PersonRecord(id, data, person.kmsKeyId, person.createdAt, person.updatedAt));
        });
    }

    public Uni<PersonRecord> get(String workspaceId, UUID id, Actor actor) {
        return read(
                        workspaceId,
                        actor,
                        () -> people.find(workspaceId, id).map(found -> {
                            if (found == null) {
                                throw ProblemException.notFound("personnel record", id.toString());
                            }
                            return List.of(found);
                        }))
                .map(found -> {
                    PersonRecord record = found.items().get(0);
                    if (record.unreadable() != null) {
                        // Audited and counted by the read, whose transaction committed; the caller gets the record's
                        // problem.
                        throw record.unreadable();
                    }
                    return record;
                });
    }

    /** A page in creation order (at most 100 rows: one unwrap call). */
    public Uni<Page> list(String workspaceId, Actor actor, String cursor, int limit) {
        KeysetCursor from = KeysetCursor.parse(cursor);
        return read(workspaceId, actor, () -> people.page(workspaceId, from.afterTime(), from.afterId(), limit))
                .map(page -> new Page(
                        page.items(), nextCursor(page.items(), limit, PersonRecord::createdAt, PersonRecord::id)));
    }

    /**
     * The same page as {@link #list}, masked: ids, departments, key versions and times from the non-PII columns.
     * No data key is unwrapped and nothing is decrypted, so a record whose key cannot be opened lists like any
     * other, and since no PII leaves the service, it is not audited as a personnel read.
     */
    public Uni<MaskedPage> listMasked(String workspaceId, String cursor, int limit) {
        KeysetCursor from = KeysetCursor.parse(cursor);
        return scope.transaction(
                        workspaceId, () -> people.summaries(workspaceId, from.afterTime(), from.afterId(), limit))
                .map(rows ->
                        new MaskedPage(rows, nextCursor(rows, limit, PersonSummary::createdAt, PersonSummary::id)));
    }

    /** Exact-match lookup by email through the blind index: no row is decrypted to search. */
    public Uni<Page> findByEmail(String workspaceId, Actor actor, String email) {
        byte[] wanted = index.email(workspaceId, email);
        return read(workspaceId, actor, () -> people.byEmailIndex(workspaceId, wanted));
    }

    public Uni<PersonRecord> update(String workspaceId, UUID id, Actor actor, PersonData data) {
        return unreadable.reportingFailure(
                workspaceId,
                actor,
                RECORD_TYPE,
                id.toString(),
                scope.transaction(
                        workspaceId,
                        () -> people.find(workspaceId, id)
                                .onItem()
                                .ifNull()
                                .failWith(() -> ProblemException.notFound("personnel record", id.toString()))
                                .chain(person -> dataKeys.unwrap(workspaceId, List.of(keyRow(person)))
                                        .map(keys -> {
                                            try (DataKey dek = keys.get(0)) {
                                                encrypt(person, data, dek);
                                            }
                                            person.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                                            return person;
                                        }))
                                .call(person -> audit.record(
                                        workspaceId,
                                        AuditAction.PERSONNEL_CHANGED,
                                        actor,
                                        target(id),
                                        Outcome.SUCCESS,
                                        Map.of()))
                                .map(person -> new PersonRecord(
                                        id, data, person.kmsKeyId, person.createdAt, person.updatedAt))));
    }

    public Uni<Void> delete(String workspaceId, UUID id, Actor actor) {
        return scope.transaction(
                workspaceId,
                () -> people.find(workspaceId, id)
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.notFound("personnel record", id.toString()))
                        .call(people::delete)
                        .call(person -> audit.record(
                                workspaceId,
                                AuditAction.PERSONNEL_DELETED,
                                actor,
                                target(id),
                                Outcome.SUCCESS,
                                Map.of()))
                        .replaceWithVoid());
    }

    /**
     * Loads rows, opens their DEKs with one unwrap call, decrypts, audits the read (ids only). A row that cannot be
     * read is returned marked with its problem, audited and counted on its own; the others are served.
     */
    private Uni<Page> read(String workspaceId, Actor actor, java.util.function.Supplier<Uni<List<Person>>> rows) {
        return scope.transaction(
                        workspaceId,
                        () -> rows.get()
                                .chain(found -> dataKeys.unwrapEach(
                                                workspaceId,
                                                found.stream()
                                                        .map(PersonnelService::keyRow)
                                                        .toList())
                                        .map(keys -> decryptAll(workspaceId, found, keys))
                                        .call(records -> unreadable.reportEach(
                                                workspaceId,
                                                actor,
                                                RECORD_TYPE,
                                                records,
                                                record -> record.id().toString(),
                                                PersonRecord::unreadable))
                                        .call(records -> {
                                            List<PersonRecord> readable = records.stream()
                                                    .filter(r -> r.unreadable() == null)
                                                    .toList();
                                            return readable.isEmpty()
                                                    ? Uni.createFrom().voidItem()
                                                    : audit.record(
                                                            workspaceId,
                                                            AuditAction.PERSONNEL_READ,
                                                            actor,
                                                            records.size() == 1
                                                                    ? target(readable.get(0)
                                                                            .id())
                                                                    : new Target("personnel", "page"),
                                                            Outcome.SUCCESS,
                                                            Map.of("records", Integer.toString(readable.size())));
                                        })))
                .map(records -> new Page(records, null));
    }

    private static List<PersonRecord> decryptAll(String workspaceId, List<Person> rows, List<OpenedKey> keys) {
        List<PersonRecord> records = new ArrayList<>(rows.size());
        try {
            for (int i = 0; i < rows.size(); i++) {
                Person row = rows.get(i);
                OpenedKey opened = keys.get(i);
                records.add(
                        opened.problem() != null
                                ? PersonRecord.unreadable(row, opened.problem())
                                : decrypted(workspaceId, row, opened.key()));
            }
        } finally {
            keys.forEach(OpenedKey::close);
        }
        return records;
    }

    private static PersonRecord decrypted(String workspaceId, Person row, DataKey dek) {
        FieldCipher cipher = FieldCiphers.aesGcm(dek);
        String id = row.id.toString();
        try {
            PersonData data = new PersonData(
                    decrypt(cipher, row.fullNameCt, workspaceId, id, FULL_NAME),
                    decrypt(cipher, row.emailCt, workspaceId, id, EMAIL),
                    decrypt(cipher, row.phoneCt, workspaceId, id, PHONE),
                    decrypt(cipher, row.governmentIdCt, workspaceId, id, GOVERNMENT_ID),
                    row.department);
            return new PersonRecord(row.id, data, row.kmsKeyId, row.createdAt, row.updatedAt);
        } catch (BadCiphertextException e) {
            return PersonRecord.unreadable(row, EvidenceProblems.integrityFailure("a stored personnel field"));
        }
    }

    /** Encrypts every PII field under the row's DEK and computes the email's blind index. */
    private void encrypt(Person person, PersonData data, DataKey dek) {
        FieldCipher cipher = FieldCiphers.aesGcm(dek);
        String id = person.id.toString();
        person.fullNameCt = encrypt(cipher, data.fullName(), person.workspaceId, id, FULL_NAME);
        person.emailCt = encrypt(cipher, data.email(), person.workspaceId, id, EMAIL);
        person.phoneCt = encrypt(cipher, data.phone(), person.workspaceId, id, PHONE);
        person.governmentIdCt = encrypt(cipher, data.governmentId(), person.workspaceId, id, GOVERNMENT_ID);
        person.department = data.department();
        person.emailIndex = index.email(person.workspaceId, data.email());
    }

    private static byte[] encrypt(FieldCipher cipher, String value, String workspaceId, String id, String field) {
        return value == null
                ? null
                : cipher.encrypt(
                        value.getBytes(StandardCharsets.UTF_8),
                        AssociatedData.forField(workspaceId, RECORD_TYPE, id, field));
    }

    private static String decrypt(FieldCipher cipher, byte[] ciphertext, String workspaceId, String id, String field) {
        return ciphertext == null
                ? null
                : new String(
                        cipher.decrypt(ciphertext, AssociatedData.forField(workspaceId, RECORD_TYPE, id, field)),
                        StandardCharsets.UTF_8);
    }

    /** After a full page, the cursor past its last item; after a shorter one, none. */
    private static <T> String nextCursor(
            List<T> items, int limit, Function<T, Instant> createdAt, Function<T, UUID> id) {
        if (items.size() < limit) {
            return null;
        }
        T last = items.get(items.size() - 1);
        return KeysetCursor.after(createdAt.apply(last), id.apply(last));
    }

    private static WrappedKeyRow keyRow(Person person) {
        return WrappedKeyRow.of(RECORD_TYPE, person);
    }

    private static Target target(UUID id) {
        return new Target("personnel", id.toString());
    }
}
