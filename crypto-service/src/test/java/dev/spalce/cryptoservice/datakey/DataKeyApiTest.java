package dev.spalce.cryptoservice.datakey;

import static dev.spalce.cryptoservice.support.TestApi.EVIDENCE;
import static dev.spalce.cryptoservice.support.TestApi.GATEWAY;
import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.REWRAP_WORKER;
import static dev.spalce.cryptoservice.support.TestApi.mint;
import static dev.spalce.cryptoservice.support.TestApi.mintResponse;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.plaintexts;
import static dev.spalce.cryptoservice.support.TestApi.register;
import static dev.spalce.cryptoservice.support.TestApi.tampered;
import static dev.spalce.cryptoservice.support.TestApi.token;
import static dev.spalce.cryptoservice.support.TestApi.unwrap;
import static dev.spalce.cryptoservice.support.TestApi.unwrapResponse;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.cryptoservice.support.TestApi.Minted;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class DataKeyApiTest {

    @Test
    void mint_forARegisteredWorkspace_returnsA256BitDekWrappedUnderTheCurrentVersion() {
        String workspace = newWorkspace();
        String current = register(workspace, "local").getString("currentKmsKeyId");

        Minted minted = mint(workspace, "evidence", "ev-1");

        assertThat(minted.plaintext()).hasSize(32);
        assertThat(minted.kmsKeyId()).isEqualTo(current).startsWith("local:").endsWith("#v1");
        byte[] wrapped = Base64.getDecoder().decode(minted.wrapped());
        assertThat(wrapped).hasSize(61);
        assertThat(wrapped[0]).isEqualTo((byte) 0x01);
    }

    @Test
    void mint_perRecord_givesAFreshDekEachTime() {
        String workspace = newWorkspace();
        register(workspace, "local");

        Minted first = mint(workspace, "evidence", "ev-1");
        Minted again = mint(workspace, "evidence", "ev-1");

        assertThat(first.plaintext()).isNotEqualTo(again.plaintext());
        assertThat(first.wrapped()).isNotEqualTo(again.wrapped());
    }

    @Test
    void unwrap_ofSeveralRecords_returnsEachDekInRequestOrder() {
        String workspace = newWorkspace();
        register(workspace, "local");
        List<Minted> minted = IntStream.range(0, 5)
                .mapToObj(i -> mint(workspace, "personnel", "p-" + i))
                .toList();

        List<Minted> reversed = new ArrayList<>(minted);
        java.util.Collections.reverse(reversed);

        JsonPath unwrapped =
                unwrap(workspace, reversed.stream().map(Minted::item).toList());

        assertThat(unwrapped.getInt("failed")).isZero();
        List<byte[]> deks = plaintexts(unwrapped);
        for (int i = 0; i < 5; i++) {
            assertThat(deks.get(i)).isEqualTo(minted.get(4 - i).plaintext());
        }
        assertThat(unwrapped.getList("items.kmsKeyId"))
                .containsOnly(minted.get(0).kmsKeyId());
    }

    @Test
    void unwrap_batchWithOneTamperedWrappedDek_failsOnlyThatItemAsBadWrappedKey() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted good = mint(workspace, "evidence", "ev-1");
        Minted bad = mint(workspace, "evidence", "ev-2");
        Minted alsoGood = mint(workspace, "evidence", "ev-3");

        JsonPath unwrapped =
                unwrap(workspace, List.of(good.item(), bad.item(tampered(bad.wrapped(), 30)), alsoGood.item()));

        assertThat(unwrapped.getInt("failed")).isEqualTo(1);
        assertThat(plaintexts(unwrapped).get(0)).isEqualTo(good.plaintext());
        assertThat(plaintexts(unwrapped).get(1)).isNull();
        assertThat(plaintexts(unwrapped).get(2)).isEqualTo(alsoGood.plaintext());
        assertThat(unwrapped.getString("items[1].error.type")).isEqualTo(PROBLEM_BASE + "bad-wrapped-key");
        assertThat(unwrapped.getInt("items[1].error.status")).isEqualTo(422);
    }

    @Test
    void unwrap_tamperedAtAnyByte_isBadWrappedKeyForEveryByte() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted minted = mint(workspace, "evidence", "ev-1");
        int length = Base64.getDecoder().decode(minted.wrapped()).length;

        JsonPath unwrapped = unwrap(
                workspace,
                IntStream.range(0, length)
                        .mapToObj(i -> minted.item(tampered(minted.wrapped(), i)))
                        .toList());

        assertThat(unwrapped.getInt("failed")).isEqualTo(length);
        assertThat(unwrapped.getList("items.error.type")).containsOnly(PROBLEM_BASE + "bad-wrapped-key");
    }

    @Test
    void unwrap_withAnotherRecordsContext_isBadWrappedKey() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted minted = mint(workspace, "evidence", "ev-1");
        Map<String, Object> movedToAnotherRecord = minted.item();
        movedToAnotherRecord.put("recordId", "ev-2");
        Map<String, Object> movedToAnotherType = minted.item();
        movedToAnotherType.put("recordType", "personnel");

        JsonPath unwrapped = unwrap(workspace, List.of(movedToAnotherRecord, movedToAnotherType));

        assertThat(unwrapped.getList("items.error.type")).containsOnly(PROBLEM_BASE + "bad-wrapped-key");
    }

    @Test
    void unwrap_ofAnotherWorkspacesDek_isAnUnknownKeyVersionThere() {
        String mine = newWorkspace();
        String theirs = newWorkspace();
        register(mine, "local");
        register(theirs, "local");
        Minted theirDek = mint(theirs, "evidence", "ev-1");

        JsonPath unwrapped = unwrap(mine, List.of(theirDek.item()));

        assertThat(unwrapped.getString("items[0].error.type")).isEqualTo(PROBLEM_BASE + "unknown-key-version");
        assertThat(unwrapped.getInt("items[0].error.status")).isEqualTo(404);
        assertThat(unwrapped.getString("items[0].error.detail")).contains(theirDek.kmsKeyId());
    }

    @Test
    void unwrap_malformedItems_failAloneAsInvalidRequests() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted good = mint(workspace, "evidence", "ev-1");
        Map<String, Object> notBase64 = good.item("%%%");
        Map<String, Object> badKeyId = good.item();
        badKeyId.put("kmsKeyId", "not a key id");
        Map<String, Object> noRecordId = good.item();
        noRecordId.remove("recordId");

        JsonPath unwrapped = unwrap(workspace, List.of(notBase64, good.item(), badKeyId, noRecordId));

        assertThat(unwrapped.getInt("failed")).isEqualTo(3);
        assertThat(plaintexts(unwrapped).get(1)).isEqualTo(good.plaintext());
        assertThat(unwrapped.getString("items[0].error.type")).isEqualTo(PROBLEM_BASE + "invalid-request");
        assertThat(unwrapped.getString("items[0].error.detail")).contains("base64");
        assertThat(unwrapped.getString("items[2].error.detail")).contains("kmsKeyId");
        assertThat(unwrapped.getString("items[3].error.detail")).contains("recordId");
    }

    @Test
    void unwrap_ofMoreItemsThanABatchHolds_isRefusedWhole() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted good = mint(workspace, "evidence", "ev-1");

        unwrapResponse(
                        workspace,
                        IntStream.range(0, 501).mapToObj(i -> good.item()).toList())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"))
                .body("detail", containsString("500"));
        unwrapResponse(workspace, List.of()).then().statusCode(400);
    }

    @Test
    void unwrap_ofExactlyTheMaximumBatch_unwrapsEveryItem() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted minted = mint(workspace, "evidence", "ev-1");

        JsonPath unwrapped = unwrap(
                workspace, IntStream.range(0, 500).mapToObj(i -> minted.item()).toList());

        assertThat(unwrapped.getInt("failed")).isZero();
        assertThat(plaintexts(unwrapped))
                .hasSize(500)
                .allSatisfy(dek -> assertThat(dek).isEqualTo(minted.plaintext()));
    }

    @Test
    void mint_forAWorkspaceWithoutCmk_is404NoCmk() {
        mintResponse(newWorkspace(), "evidence", "ev-1")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-not-registered"));
    }

    @Test
    void mint_withInvalidRecord_is400_andAWorkspaceOfAnotherSpelling_is404() {
        String workspace = newWorkspace();
        register(workspace, "local");

        given().auth()
                .oauth2(token(EVIDENCE))
                .contentType(ContentType.JSON)
                .body(Map.of("recordType", "", "recordId", "ev-1"))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"))
                .body("violations.field", hasItem("recordType"));
        mintResponse(workspace, "evidence", "a\u0000b").then().statusCode(400).body("detail", containsString("NUL"));
        // A workspace id is one canonical spelling; anything else names no workspace (WorkspaceIdFilter).
        mintResponse("bad:workspace", "evidence", "ev-1")
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM_BASE + "not-found"));
        given().auth()
                .oauth2(token(EVIDENCE))
                .contentType(ContentType.JSON)
                .body("{\"recordType\":")
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void callers_notOnAnOperationsAllowList_get403() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted minted = mint(workspace, "evidence", "ev-1");
        Map<String, Object> body = Map.of("items", List.of(minted.item()));

        for (String stranger : List.of(REWRAP_WORKER, GATEWAY, "spalce-unknown-service")) {
            given().auth()
                    .oauth2(token(stranger))
                    .contentType(ContentType.JSON)
                    .body(Map.of("recordType", "evidence", "recordId", "ev-2"))
                    .when()
                    .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEM_BASE + "caller-not-allowed"))
                    .body("detail", containsString(stranger));
        }
        given().auth()
                .oauth2(token(GATEWAY))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys/unwrap", workspace)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(token(EVIDENCE))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys/rewrap", workspace)
                .then()
                .statusCode(403);
    }

    @Test
    void calls_withoutAValidServiceToken_get401() {
        String workspace = newWorkspace();
        given().contentType(ContentType.JSON)
                .body(Map.of("recordType", "evidence", "recordId", "ev-1"))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                .then()
                .statusCode(401);
        given().auth()
                .oauth2("not.a.jwt")
                .contentType(ContentType.JSON)
                .body(Map.of("recordType", "evidence", "recordId", "ev-1"))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                .then()
                .statusCode(401);
        // A user's token is for the public API audience, not the internal one.
        given().auth()
                .oauth2(dev.spalce.testsupport.OidcTokens.user("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("recordType", "evidence", "recordId", "ev-1"))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                .then()
                .statusCode(401);
    }

    @Test
    void errorResponses_carryNoKeyMaterialAndNoStackTrace() {
        String workspace = newWorkspace();
        register(workspace, "local");
        Minted minted = mint(workspace, "evidence", "ev-1");
        String tamperedDek = tampered(minted.wrapped(), 40);

        String batch = unwrapResponse(workspace, List.of(minted.item(tamperedDek)))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String notFound = mintResponse(newWorkspace(), "evidence", "ev-1")
                .then()
                .statusCode(404)
                .extract()
                .asString();

        for (String body : List.of(batch, notFound)) {
            assertThat(body)
                    .doesNotContain(Base64.getEncoder().encodeToString(minted.plaintext()))
                    .doesNotContain(HexFormat.of().formatHex(minted.plaintext()))
                    .doesNotContain(tamperedDek)
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain("dev.spalce");
        }
    }

    @Test
    void mint_200InParallel_givesDistinctDeksThatAllUnwrap() throws Exception {
        String workspace = newWorkspace();
        register(workspace, "local");
        String evidenceToken = token(EVIDENCE);
        ExecutorService clients = Executors.newFixedThreadPool(32);
        List<Future<Minted>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                String recordId = "load-" + i;
                calls.add(clients.submit((Callable<Minted>) () -> {
                    JsonPath json = given().auth()
                            .oauth2(evidenceToken)
                            .contentType(ContentType.JSON)
                            .body(Map.of("recordType", "evidence", "recordId", recordId))
                            .when()
                            .post("/internal/v1/workspaces/{ws}/data-keys", workspace)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    return new Minted(
                            Base64.getDecoder().decode(json.getString("plaintextDek")),
                            json.getString("wrappedDek"),
                            json.getString("kmsKeyId"),
                            "evidence",
                            recordId);
                }));
            }
            List<Minted> minted = new ArrayList<>();
            for (Future<Minted> call : calls) {
                minted.add(call.get());
            }

            Set<String> distinct = new HashSet<>();
            minted.forEach(m -> distinct.add(HexFormat.of().formatHex(m.plaintext())));
            assertThat(distinct).hasSize(200);
            JsonPath unwrapped =
                    unwrap(workspace, minted.stream().map(Minted::item).toList());
            assertThat(unwrapped.getInt("failed")).isZero();
            List<byte[]> deks = plaintexts(unwrapped);
            for (int i = 0; i < 200; i++) {
                assertThat(deks.get(i)).isEqualTo(minted.get(i).plaintext());
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void mintBatch_ofManyRecords_givesDistinctDeksInRequestOrder_eachBoundToItsOwnRecord() {
        String workspace = newWorkspace();
        String current = register(workspace, "local").getString("currentKmsKeyId");
        List<String> recordIds =
                IntStream.range(0, 300).mapToObj(i -> "run-7/result-" + i).toList();

        JsonPath batch = mintBatchResponse(workspace, "check-result", recordIds)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        List<Minted> minted = IntStream.range(0, recordIds.size())
                .mapToObj(i -> new Minted(
                        Base64.getDecoder().decode(batch.getString("items[" + i + "].plaintextDek")),
                        batch.getString("items[" + i + "].wrappedDek"),
                        batch.getString("items[" + i + "].kmsKeyId"),
                        "check-result",
                        recordIds.get(i)))
                .toList();
        assertThat(minted)
                .hasSize(300)
                .allSatisfy(key -> assertThat(key.kmsKeyId()).isEqualTo(current));
        assertThat(minted.stream()
                        .map(key -> HexFormat.of().formatHex(key.plaintext()))
                        .distinct())
                .hasSize(300);
        JsonPath unwrapped = unwrap(workspace, minted.stream().map(Minted::item).toList());
        assertThat(unwrapped.getInt("failed")).isZero();
        for (int i = 0; i < minted.size(); i++) {
            assertThat(plaintexts(unwrapped).get(i)).isEqualTo(minted.get(i).plaintext());
        }
        Minted first = minted.get(0);
        JsonPath swapped = unwrap(
                workspace,
                List.of(new Minted(
                                first.plaintext(), first.wrapped(), first.kmsKeyId(), "check-result", recordIds.get(1))
                        .item()));
        assertThat(swapped.getString("items[0].error.type")).isEqualTo(PROBLEM_BASE + "bad-wrapped-key");
    }

    @Test
    void mintBatch_emptyOversizedOrWithAnInvalidId_isRefusedWhole_andOnlyMintersMayCallIt() {
        String workspace = newWorkspace();
        register(workspace, "local");

        mintBatchResponse(
                        workspace,
                        "check-result",
                        IntStream.range(0, 501).mapToObj(i -> "r-" + i).toList())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"))
                .body("detail", containsString("500"));
        mintBatchResponse(workspace, "check-result", List.of()).then().statusCode(400);
        mintBatchResponse(workspace, "check-result", List.of("r-1", "a\u0000b"))
                .then()
                .statusCode(400)
                .body("detail", containsString("NUL"));
        mintBatchResponse(newWorkspace(), "check-result", List.of("r-1"))
                .then()
                .statusCode(404)
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-not-registered"));
        given().auth()
                .oauth2(token(REWRAP_WORKER))
                .contentType(ContentType.JSON)
                .body(Map.of("recordType", "check-result", "recordIds", List.of("r-1")))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys/mint-batch", workspace)
                .then()
                .statusCode(403)
                .body("type", equalTo(PROBLEM_BASE + "caller-not-allowed"));
    }

    private static Response mintBatchResponse(String workspace, String recordType, List<String> recordIds) {
        return given().auth()
                .oauth2(token(EVIDENCE))
                .contentType(ContentType.JSON)
                .body(Map.of("recordType", recordType, "recordIds", recordIds))
                .when()
                .post("/internal/v1/workspaces/{ws}/data-keys/mint-batch", workspace);
    }
}
