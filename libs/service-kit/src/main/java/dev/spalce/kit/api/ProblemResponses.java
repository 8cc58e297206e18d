package dev.spalce.kit.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Writes into every service's OpenAPI description the problems any of its operations can answer, so that each
 * endpoint lists its errors without each resource repeating them: {@code invalid-request} (400), an unauthenticated
 * caller (401), a forbidden one (403), a workspace or record one cannot see (404) and a dependency that is down
 * (503), each an {@code application/problem+json} {@link Problem}. What only some operations answer is annotated
 * on those operations by reference to the named responses defined here, e.g.
 * {@code @APIResponse(responseCode = "422", ref = ProblemResponses.RECORD_UNREADABLE)}. Registered with
 * {@code mp.openapi.filter} in the service kit's defaults.
 */
public class ProblemResponses implements OASFilter {

    static final String SCHEMA = "Problem";

    /** 409: the workspace already has a key (register another through a change of key instead). */
    public static final String KEY_ALREADY_REGISTERED = "KeyAlreadyRegistered";
    /** 413: the body is larger than the operation accepts. */
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    /** 415: the body's media type is not one the operation stores. */
    public static final String UNSUPPORTED_CONTENT = "UnsupportedContent";
    /** 422: the record's own stored bytes do not authenticate (its own problem, not an outage). */
    public static final String RECORD_UNREADABLE = "RecordUnreadable";

    private static final Map<String, String> SOME_OPERATIONS = Map.of(
            KEY_ALREADY_REGISTERED, "key-already-registered: this workspace already has a key",
            PAYLOAD_TOO_LARGE, "payload-too-large: the body is larger than this operation accepts",
            UNSUPPORTED_CONTENT, "unsupported-content: this media type is not stored",
            RECORD_UNREADABLE,
                    "bad-wrapped-key or integrity-failure: the record's stored data key or ciphertext does not"
                            + " authenticate (altered, moved or missing in storage); retrying does not help; the"
                            + " record is unreadable, audited and counted");

    private static final Map<String, String> EVERY_OPERATION = new LinkedHashMap<>();

    static {
        EVERY_OPERATION.put("400", "invalid-request: the request breaks a rule (the problem's violations say which)");
        EVERY_OPERATION.put("401", "no valid bearer token");
        EVERY_OPERATION.put("403", "the caller's role or service identity does not allow this operation");
        EVERY_OPERATION.put("404", "no such workspace or record visible to the caller");
        EVERY_OPERATION.put("503", "dependency-unavailable: a dependency is down; nothing was changed, retry later");
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        new TreeMap<>(SOME_OPERATIONS)
                .forEach((name, description) -> openAPI.getComponents().addResponse(name, problem(description)));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths()
                .getPathItems()
                .values()
                .forEach(path -> path.getOperations().values().forEach(ProblemResponses::addEveryOperationsProblems));
    }

    private static void addEveryOperationsProblems(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        EVERY_OPERATION.forEach((status, description) -> {
            if (operation.getResponses().getAPIResponse(status) == null) {
                operation.getResponses().addAPIResponse(status, problem(description));
            }
        });
    }

    /** A response whose body is a {@link Problem}. */
    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent()
                        .addMediaType(
                                Problem.MEDIA_TYPE,
                                OASFactory.createMediaType()
                                        .schema(OASFactory.createSchema().ref(SCHEMA))));
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; type is a stable URI under https://spalce.dev/problems/")
                .addProperty(
                        "type",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.STRING)
                                .format("uri"))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("instance", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("requestId", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty(
                        "violations",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.ARRAY)
                                .items(OASFactory.createSchema()
                                        .addType(Schema.SchemaType.OBJECT)
                                        .addProperty(
                                                "field",
                                                OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                                        .addProperty(
                                                "message",
                                                OASFactory.createSchema().addType(Schema.SchemaType.STRING))))
                .addRequired("type")
                .addRequired("title")
                .addRequired("status");
    }
}
