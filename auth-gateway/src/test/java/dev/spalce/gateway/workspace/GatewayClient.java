package dev.spalce.gateway.workspace;

import static io.restassured.RestAssured.given;

import dev.spalce.testsupport.OidcTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;

/** A signed-in user of the public API, for tests. */
public record GatewayClient(String subject, String token) {

    public static GatewayClient signIn(String subject) {
        return new GatewayClient(subject, OidcTokens.user(subject));
    }

    public ValidatableResponse get(String path) {
        return given().auth().oauth2(token).when().get(path).then();
    }

    public ValidatableResponse post(String path, Map<String, ?> body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(path)
                .then();
    }

    public ValidatableResponse put(String path, Map<String, ?> body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .put(path)
                .then();
    }

    public ValidatableResponse delete(String path) {
        return given().auth().oauth2(token).when().delete(path).then();
    }

    /** Creates a workspace; returns its id. */
    public String createWorkspace(String name) {
        return post("/api/v1/workspaces", Map.of("name", name))
                .statusCode(201)
                .extract()
                .path("id");
    }

    public void addMember(String workspace, GatewayClient member, String role) {
        put("/api/v1/workspaces/" + workspace + "/members/" + member.subject(), Map.of("role", role))
                .statusCode(200);
    }
}
