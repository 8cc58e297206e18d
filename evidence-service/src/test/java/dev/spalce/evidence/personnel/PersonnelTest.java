package dev.spalce.evidence.personnel;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.spalce.contracts.Topic;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.KafkaTestClient;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class PersonnelTest {

    private static final String BASE = "/internal/v1/workspaces/{ws}/personnel";

    private static Map<String, Object> person(String email) {
        Map<String, Object> person = new HashMap<>();
        person.put("fullName", "Ada Lovelace-Byron");
        person.put("email", email);
        person.put("phone", "+44 20 7946 0958");
        person.put("governmentId", "QQ123456C");
        person.put("department", "Engineering");
        return person;
    }

    private static final List<String> PII = List.of("Lovelace", "@example.com", "+44 20 7946 0958", "QQ123456C");

    private static JsonPath create(String workspace, Map<String, Object> person) {
        return owner(workspace)
                .contentType(ContentType.JSON)
                .body(person)
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /**
     * The second wall: a gateway token for this workspace whose role lacks read-personnel (an Auditor's, e.g. one
     * forwarded for an audit-log read) gets 403 here, however it reached this service; so does a Viewer's.
     */
    @Test
    void auditorsAndViewersTokens_get403AtPersonnel_andTheirWritesToo() {
        String workspace = TestApi.newWorkspace();
        String id = create(workspace, person("grace@example.com")).getString("id");

        for (String role : List.of("AUDITOR", "VIEWER")) {
            TestApi.as(workspace, role)
                    .when()
                    .get(BASE, workspace)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", endsWith("/forbidden"));
            TestApi.as(workspace, role)
                    .queryParam("view", "masked")
                    .when()
                    .get(BASE, workspace)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", endsWith("/forbidden"));
            TestApi.as(workspace, role)
                    .when()
                    .get(BASE + "/{id}", workspace, id)
                    .then()
                    .statusCode(403);
            TestApi.as(workspace, role)
                    .contentType(ContentType.JSON)
                    .body(person("mallory@example.com"))
                    .when()
                    .post(BASE, workspace)
                    .then()
                    .statusCode(403);
            TestApi.as(workspace, role)
                    .when()
                    .delete(BASE + "/{id}", workspace, id)
                    .then()
                    .statusCode(403);
        }
        TestApi.as(workspace, "CONTRIBUTOR")
                .when()
                .get(BASE + "/{id}", workspace, id)
                .then()
                .statusCode(200)
                .body("email", equalTo("grace@example.com"));
        TestApi.as(workspace, "CONTRIBUTOR")
                .queryParam("view", "masked")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items.id", equalTo(List.of(id)));
        // A role the matrix does not know is no role.
        TestApi.as(workspace, "ADMIN").when().get(BASE, workspace).then().statusCode(403);
    }

    @Test
    void createdRecord_readsBackDecryptedAndIsStoredAsCiphertextOnly() {
        String workspace = TestApi.newWorkspace();
        String id = create(workspace, person("ada@example.com")).getString("id");

        owner(workspace)
                .when()
                .get(BASE + "/{id}", workspace, id)
                .then()
                .statusCode(200)
                .body("email", equalTo("ada@example.com"))
                .body("phone", equalTo("+44 20 7946 0958"))
                .body("governmentId", equalTo("QQ123456C"))
                .body("fullName", equalTo("Ada Lovelace-Byron"));

        List<Map<String, Object>> rows = TestApi.rawRows("SELECT * FROM {schema}.personnel WHERE id = ?::uuid", id);
        String raw = TestApi.dump(rows);
        for (String plaintext : List.of("ada@example.com", "7946", "QQ123456C", "Lovelace")) {
            assertThat(raw).as("plaintext in the row").doesNotContain(plaintext);
        }
        assertThat(((byte[]) rows.get(0).get("email_ct"))[0])
                .as("field format version")
                .isEqualTo((byte) 0x01);
    }

    @Test
    void pageOf100_isDecryptedWithOneUnwrapCall() {
        String workspace = TestApi.newWorkspace();
        for (int i = 0; i < 100; i++) {
            create(workspace, person("person" + i + "@example.com"));
        }
        long before = TestApi.cryptoCalls("unwrap");

        JsonPath page = owner(workspace)
                .queryParam("limit", 100)
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(100))
                .extract()
                .jsonPath();

        assertThat(TestApi.cryptoCalls("unwrap") - before).isEqualTo(1);
        assertThat(page.getList("items.email")).contains("person0@example.com", "person99@example.com");
    }

    /**
     * What the dashboard lists: no PII field and no value of one, and no data key opened, so a record whose
     * wrapped key no longer authenticates lists like the others (and pages the same way as the full view).
     */
    @Test
    void maskedView_holdsNoPiiAndUnwrapsNoKeyEvenForAnUnreadableRecord() throws Exception {
        String workspace = TestApi.newWorkspace();
        List<String> ids = List.of(
                create(workspace, person("ada0@example.com")).getString("id"),
                create(workspace, person("ada1@example.com")).getString("id"),
                create(workspace, person("ada2@example.com")).getString("id"));
        try (var admin = Infrastructure.adminConnection();
                var update = admin.prepareStatement("UPDATE "
                        + EvidenceTestResource.SCHEMA + ".personnel SET wrapped_dek = set_byte(wrapped_dek, 10, "
                        + "get_byte(wrapped_dek, 10) # 1) WHERE id = ?::uuid")) {
            update.setString(1, ids.get(1));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        long unwrapsBefore = TestApi.cryptoCalls("unwrap");

        String first = owner(workspace)
                .queryParam("view", "masked")
                .queryParam("limit", 2)
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String cursor = JsonPath.from(first).getString("nextCursor");
        String second = owner(workspace)
                .queryParam("view", "masked")
                .queryParam("cursor", cursor)
                .queryParam("limit", 2)
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(TestApi.cryptoCalls("unwrap") - unwrapsBefore)
                .as("unwrap calls")
                .isZero();
        assertThat(JsonPath.from(first).getList("items.id", String.class)).isEqualTo(ids.subList(0, 2));
        assertThat(JsonPath.from(second).getList("items.id", String.class)).isEqualTo(ids.subList(2, 3));
        assertThat(JsonPath.from(second).getString("nextCursor")).isNull();
        Map<String, Object> item = JsonPath.from(first).getMap("items[1]");
        assertThat(item)
                .containsOnlyKeys("id", "department", "kmsKeyId", "createdAt", "updatedAt")
                .containsEntry("department", "Engineering");
        for (String value : PII) {
            assertThat(first + second).as("PII in the masked view").doesNotContain(value);
        }
        // The full view of the same page still opens it, and marks the record it cannot read.
        owner(workspace)
                .queryParam("limit", 2)
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(200)
                .body("items[0].email", equalTo("ada0@example.com"))
                .body("items[1].error.type", endsWith("/bad-wrapped-key"));
        owner(workspace)
                .queryParam("view", "full")
                .when()
                .get(BASE, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    /** Revealing a record on the dashboard is reading that one record: audited with the reader and the record. */
    @Test
    void reveal_isAuditedAsAPersonnelReadNamingTheReaderAndTheRecord() {
        String workspace = TestApi.newWorkspace();
        String id = create(workspace, person("reveal@example.com")).getString("id");

        owner(workspace)
                .when()
                .get(BASE + "/{id}", workspace, id)
                .then()
                .statusCode(200)
                .body("email", equalTo("reveal@example.com"));

        var record = KafkaTestClient.awaitRecord(
                Topic.AUDIT.topicName(),
                r -> r.key().equals(workspace)
                        && r.value().contains(AuditAction.PERSONNEL_READ)
                        && r.value().contains(id),
                Duration.ofSeconds(30));
        JsonPath event = JsonPath.from(record.value());
        assertThat(event.getString("type")).isEqualTo(AuditAction.PERSONNEL_READ);
        assertThat(event.getString("data.actor.type")).isEqualTo("user");
        assertThat(event.getString("data.actor.subject")).isEqualTo("user-owner-of-" + workspace);
        assertThat(event.getString("data.target.type")).isEqualTo("personnel");
        assertThat(event.getString("data.target.id")).isEqualTo(id);
        assertThat(event.getString("data.details.records")).isEqualTo("1");
        for (String value : PII) {
            assertThat(record.value()).as("PII in the audit event").doesNotContain(value);
        }
    }

    @Test
    void emailLookup_findsExactMatchesThroughTheBlindIndexOnly() {
        String workspace = TestApi.newWorkspace();
        String other = TestApi.newWorkspace();
        String id = create(workspace, person("grace@example.com")).getString("id");
        create(workspace, person("grace.hopper@example.com"));
        String otherId = create(other, person("grace@example.com")).getString("id");

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("email", "Grace@Example.COM"))
                .when()
                .post(BASE + "/lookup", workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(id));
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("email", "grace@example.co"))
                .when()
                .post(BASE + "/lookup", workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        // The same email has unrelated indexes in two workspaces (per-workspace keys).
        byte[] ours = (byte[]) TestApi.rawRows("SELECT email_index FROM {schema}.personnel WHERE id = ?::uuid", id)
                .get(0)
                .get("email_index");
        byte[] theirs =
                (byte[]) TestApi.rawRows("SELECT email_index FROM {schema}.personnel WHERE id = ?::uuid", otherId)
                        .get(0)
                        .get("email_index");
        assertThat(ours).hasSize(32).isNotEqualTo(theirs);
    }

    @Test
    void fieldCiphertextMovedToAnotherField_isRefused() throws Exception {
        String workspace = TestApi.newWorkspace();
        String id = create(workspace, person("linus@example.com")).getString("id");
        try (var admin = Infrastructure.adminConnection();
                var update = admin.prepareStatement("UPDATE " + EvidenceTestResource.SCHEMA
                        + ".personnel SET phone_ct = email_ct WHERE id = ?::uuid")) {
            update.setString(1, id);
            update.executeUpdate();
        }

        owner(workspace)
                .when()
                .get(BASE + "/{id}", workspace, id)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/integrity-failure"));
    }

    @Test
    void update_reencryptsAndDelete_removes() {
        String workspace = TestApi.newWorkspace();
        String id = create(workspace, person("margaret@example.com")).getString("id");
        byte[] before = (byte[]) TestApi.rawRows("SELECT email_ct FROM {schema}.personnel WHERE id = ?::uuid", id)
                .get(0)
                .get("email_ct");
        Map<String, Object> changed = person("m.hamilton@example.com");
        changed.put("phone", null);

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(changed)
                .when()
                .put(BASE + "/{id}", workspace, id)
                .then()
                .statusCode(200)
                .body("email", equalTo("m.hamilton@example.com"));

        byte[] after = (byte[]) TestApi.rawRows("SELECT email_ct FROM {schema}.personnel WHERE id = ?::uuid", id)
                .get(0)
                .get("email_ct");
        assertThat(after).isNotEqualTo(before);
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("email", "margaret@example.com"))
                .when()
                .post(BASE + "/lookup", workspace)
                .then()
                .body("items", hasSize(0));
        owner(workspace)
                .when()
                .get(BASE + "/{id}", workspace, id)
                .then()
                .statusCode(200)
                .body("phone", equalTo(null));
        owner(workspace).when().delete(BASE + "/{id}", workspace, id).then().statusCode(204);
        owner(workspace).when().get(BASE + "/{id}", workspace, id).then().statusCode(404);
    }

    @Test
    void anotherWorkspacesRecord_answers404() {
        String workspace = TestApi.newWorkspace();
        String stranger = TestApi.newWorkspace();
        String id = create(workspace, person("alan@example.com")).getString("id");

        owner(stranger).when().get(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(stranger)
                .contentType(ContentType.JSON)
                .body(person("x@example.com"))
                .when()
                .put(BASE + "/{id}", stranger, id)
                .then()
                .statusCode(404);
        owner(stranger).when().delete(BASE + "/{id}", stranger, id).then().statusCode(404);
        owner(stranger).when().get(BASE + "/{id}", workspace, id).then().statusCode(404);
        owner(workspace).when().get(BASE + "/{id}", workspace, id).then().statusCode(200);
    }

    @Test
    void invalidRecord_isATypedBadRequestAndStoresNothing() {
        String workspace = TestApi.newWorkspace();
        Map<String, Object> bad = new HashMap<>(person("not-an-email"));

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(bad)
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        owner(workspace)
                .contentType(ContentType.JSON)
                .body("{")
                .when()
                .post(BASE, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(TestApi.rawRows("SELECT id FROM {schema}.personnel WHERE workspace_id = ?", workspace))
                .isEmpty();
    }
}
