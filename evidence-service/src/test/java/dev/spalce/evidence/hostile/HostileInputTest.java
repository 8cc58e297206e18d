package dev.spalce.evidence.hostile;

import static dev.spalce.evidence.support.TestApi.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.evidence.support.TestApi;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Input a careless or hostile client sends: every refusal is a typed 400 or 403, never a 500 nor a silent change. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest {

    private static final String PERSONNEL = "/internal/v1/workspaces/{ws}/personnel";
    private static final String EVIDENCE = "/internal/v1/workspaces/{ws}/evidence";
    private static final String INVALID = "https://spalce.dev/problems/invalid-request";

    private static String uploadSmallFile(String workspace) {
        byte[] content = new byte[2000];
        new Random(1).nextBytes(content);
        return owner(workspace)
                .contentType("application/pdf")
                .body(content)
                .queryParam("name", "a.pdf")
                .when()
                .post(EVIDENCE, workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String personJson(String fullNameJsonLiteral) {
        return "{\"fullName\": " + fullNameJsonLiteral + ", \"email\": \"p@example.com\"}";
    }

    @Test
    void personnelName_withNul_is400InvalidRequest() {
        String workspace = TestApi.newWorkspace();

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(personJson("\"Ada\\u0000Lovelace\""))
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(INVALID))
                .body("detail", equalTo("the value at '.fullName' contains a NUL character (U+0000)"));
    }

    @Test
    void personnelName_withLoneSurrogate_is400_andNothingIsStored() {
        String workspace = TestApi.newWorkspace();

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(personJson("\"Ada \\ud800 Lovelace\""))
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(400)
                .body("type", equalTo(INVALID));
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(personJson("\"trailing \\udfff\""))
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(400)
                .body("type", equalTo(INVALID));
        // A well-formed pair (U+1F600) is a character like any other.
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(personJson("\"Ada \\ud83d\\ude00\""))
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(201)
                .body("fullName", equalTo("Ada \uD83D\uDE00"));

        owner(workspace).when().get(PERSONNEL, workspace).then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void names_withBidirectionalControls_areRefused() {
        String workspace = TestApi.newWorkspace();
        for (String control : new String[] {"\u202E", "\u202A", "\u2066", "\u2069", "\u200E", "\u200F", "\u061C"}) {
            owner(workspace)
                    .contentType("application/pdf")
                    .body(new byte[] {1, 2, 3})
                    .queryParam("name", "report" + control + "fdp.exe")
                    .when()
                    .post(EVIDENCE, workspace)
                    .then()
                    .statusCode(400)
                    .body("type", equalTo(INVALID));
            owner(workspace)
                    .contentType(ContentType.JSON)
                    .body(Map.of("fullName", "Ada" + control + "Lovelace", "email", "p@example.com"))
                    .when()
                    .post(PERSONNEL, workspace)
                    .then()
                    .statusCode(400)
                    .body("type", equalTo(INVALID));
            owner(workspace)
                    .contentType(ContentType.JSON)
                    .body(Map.of("kind", "api-token", "name", "ci" + control, "credentials", Map.of("token", "x")))
                    .when()
                    .post("/internal/v1/workspaces/{ws}/integrations", workspace)
                    .then()
                    .statusCode(400)
                    .body("type", equalTo(INVALID));
        }
        assertThat(TestApi.objectKeys(workspace)).isEmpty();
    }

    @Test
    void truncatedJson_is400InvalidRequest() {
        String workspace = TestApi.newWorkspace();

        owner(workspace)
                .contentType(ContentType.JSON)
                .body("{\"fullName\": \"Ada\", \"email\": \"p@exa")
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(INVALID));
        owner(workspace)
                .contentType(ContentType.JSON)
                .body("{")
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(400)
                .body("type", equalTo(INVALID));
    }

    @Test
    void problemInstance_namesThePublicPath_neverTheInternalOne() {
        String workspace = TestApi.newWorkspace();

        owner(workspace)
                .when()
                .get(PERSONNEL + "/{id}", workspace, "7d1f0e6a-3c2b-4a59-8e71-0c9d8b7a6f54")
                .then()
                .statusCode(404)
                .body(
                        "instance",
                        equalTo("/api/v1/workspaces/" + workspace + "/personnel/7d1f0e6a-3c2b-4a59-8e71-0c9d8b7a6f54"))
                .body("instance", not(startsWith("/internal")));
    }

    @Test
    void emailLookup_takesTheAddressInAPostBody_andRefusesItInTheUrl() {
        String workspace = TestApi.newWorkspace();
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Grace", "email", "Grace@Example.com"))
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(201);
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("fullName", "Alan", "email", "alan@example.com"))
                .when()
                .post(PERSONNEL, workspace)
                .then()
                .statusCode(201);

        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("email", "grace@example.com"))
                .when()
                .post(PERSONNEL + "/lookup", workspace)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].fullName", equalTo("Grace"));
        owner(workspace)
                .queryParam("email", "grace@example.com")
                .when()
                .get(PERSONNEL, workspace)
                .then()
                .statusCode(400)
                .body("type", equalTo(INVALID));
        owner(workspace)
                .contentType(ContentType.JSON)
                .body(Map.of("email", "not an address"))
                .when()
                .post(PERSONNEL + "/lookup", workspace)
                .then()
                .statusCode(400);
    }

    @Test
    void signedUrl_acceptsOnlyItsOneCanonicalForm() {
        String workspace = TestApi.newWorkspace();
        String id = uploadSmallFile(workspace);
        String path = owner(workspace)
                .when()
                .get(EVIDENCE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .path("path");
        String base = "/internal/v1/workspaces/" + workspace + "/";
        String expires = path.replaceAll(".*expires=(\\d+).*", "$1");
        String signature = path.replaceAll(".*signature=", "");
        assertThat(signature).matches("[A-Za-z0-9_-]{43}");
        String standardAlphabet = signature.replace('-', '+').replace('_', '/');
        String content = "evidence/" + id + "/content?";

        for (String altered : new String[] {
            content + "expires=" + expires + "&signature=" + signature + "=",
            content + "expires=" + expires + "&signature=" + signature + "%3D",
            content + "expires=0" + expires + "&signature=" + signature,
            content + "expires=%2B" + expires + "&signature=" + signature,
            content + "expires=%3" + expires.charAt(0) + expires.substring(1) + "&signature=" + signature,
            content + "expires=" + expires + "&expires=" + expires + "&signature=" + signature,
            content + "expires=" + expires + "&signature=" + signature + "&signature=" + signature,
            content + "expires=" + expires + "&signature=" + signature + "&extra=1",
            content + "signature=" + signature + "&expires=" + expires,
            "evidence/" + id.toUpperCase(Locale.ROOT) + "/content?expires=" + expires + "&signature=" + signature,
        }) {
            owner(workspace)
                    .urlEncodingEnabled(false)
                    .when()
                    .get(base + altered)
                    .then()
                    .statusCode(403)
                    .body("type", equalTo("https://spalce.dev/problems/invalid-signed-url"));
        }
        if (!standardAlphabet.equals(signature)) {
            owner(workspace)
                    .urlEncodingEnabled(false)
                    .when()
                    .get(base + content + "expires=" + expires + "&signature="
                            + standardAlphabet.replace("+", "%2B").replace("/", "%2F"))
                    .then()
                    .statusCode(403);
        }

        owner(workspace)
                .urlEncodingEnabled(false)
                .when()
                .get(base + path)
                .then()
                .statusCode(200);
    }

    @Test
    void downloadOfAMissingObject_isATypedIntegrityFailure_not503() {
        String workspace = TestApi.newWorkspace();
        String id = uploadSmallFile(workspace);
        TestApi.deleteObject("workspaces/" + workspace + "/evidence/" + id);
        String path = owner(workspace)
                .when()
                .get(EVIDENCE + "/{id}/download-url", workspace, id)
                .then()
                .statusCode(200)
                .extract()
                .path("path");

        owner(workspace)
                .when()
                .get("/internal/v1/workspaces/" + workspace + "/" + path)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://spalce.dev/problems/integrity-failure"))
                .body(
                        "detail",
                        equalTo("the stored evidence file is missing from storage; nothing of it can be served"));
    }
}
