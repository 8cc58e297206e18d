package dev.spalce.evidence.support;

import static io.restassured.RestAssured.given;

import dev.spalce.testsupport.GatewayTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Helpers of evidence-service's tests: workspaces with a real CMK, users' requests, raw rows and blobs. */
public final class TestApi {

    private static S3Client s3;

    private TestApi() {}

    /** A new workspace whose Owner registered a local CMK in the real crypto-service. */
    public static String newWorkspace() {
        String workspace = UUID.randomUUID().toString();
        given().baseUri(EvidenceTestResource.cryptoUrl().toString())
                .auth()
                .oauth2(GatewayTokens.owner(workspace, "spalce-crypto"))
                .contentType(ContentType.JSON)
                .body(Map.of("provider", "local"))
                .when()
                .post("/internal/v1/workspaces/{ws}/keys", workspace)
                .then()
                .statusCode(201);
        return workspace;
    }

    /** A request as {@code role} of {@code workspace}, routed by the gateway. */
    public static RequestSpecification as(String workspace, String role) {
        return given().auth()
                .oauth2(GatewayTokens.user("user-" + role.toLowerCase() + "-of-" + workspace, workspace, role));
    }

    public static RequestSpecification owner(String workspace) {
        return as(workspace, "OWNER");
    }

    /** Raw bytes of a stored object, straight from the bucket. */
    /**
     * How many calls crypto-service has served at {@code data-keys/<operation>} ({@code unwrap},
     * {@code mint-batch}), from its Prometheus metrics.
     */
    /** Uploads a small text file as the workspace's Owner; its id. */
    public static String uploadText(String workspace) {
        return owner(workspace)
                .contentType("text/plain")
                .body("evidence text")
                .queryParam("name", "e.txt")
                .when()
                .post("/internal/v1/workspaces/{ws}/evidence", workspace)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    public static long cryptoCalls(String operation) {
        String metrics = given().baseUri(
                        EvidenceTestResource.cryptoManagementUrl().toString())
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher matcher = java.util.regex.Pattern.compile("http_server_requests_seconds_count\\{[^}]*uri=\""
                        + java.util.regex.Pattern.quote("/internal/v1/workspaces/{workspace}/data-keys/" + operation)
                        + "\"[^}]*\\} ([0-9.E]+)")
                .matcher(metrics);
        long total = 0;
        while (matcher.find()) {
            total += (long) Double.parseDouble(matcher.group(1));
        }
        return total;
    }

    public static byte[] rawObject(String key) {
        try (InputStream in = s3().getObject(
                        GetObjectRequest.builder().bucket(bucket()).key(key).build())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Overwrites a stored object, as an attacker with access to the bucket could. */
    public static void replaceObject(String key, byte[] content) {
        s3().putObject(PutObjectRequest.builder().bucket(bucket()).key(key).build(), RequestBody.fromBytes(content));
    }

    /** Deletes a stored object behind the service's back. */
    public static void deleteObject(String key) {
        s3().deleteObject(software.amazon.awssdk.services.s3.model.DeleteObjectRequest.builder()
                .bucket(bucket())
                .key(key)
                .build());
    }

    /** Keys of every object under the workspace's prefix. */
    public static List<String> objectKeys(String workspace) {
        List<String> keys = new ArrayList<>();
        s3().listObjectsV2Paginator(ListObjectsV2Request.builder()
                        .bucket(bucket())
                        .prefix("workspaces/" + workspace + "/")
                        .build())
                .contents()
                .forEach((S3Object object) -> keys.add(object.key()));
        // Stores over a file system list the folders they made as keys ending in "/": not objects.
        keys.removeIf(key -> key.endsWith("/"));
        return keys;
    }

    /** One raw row (column name to value) read as the admin role, which row-level security does not restrict. */
    public static List<Map<String, Object>> rawRows(String sql, Object... parameters) {
        try (Connection admin = dev.spalce.testsupport.Infrastructure.adminConnection();
                PreparedStatement statement =
                        admin.prepareStatement(sql.replace("{schema}", EvidenceTestResource.SCHEMA))) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                        row.put(result.getMetaData().getColumnName(c), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything the rows hold, as text (bytea as raw bytes read as ISO-8859-1), for plaintext searches. */
    public static String dump(List<Map<String, Object>> rows) {
        StringBuilder all = new StringBuilder();
        for (Map<String, Object> row : rows) {
            for (Object value : row.values()) {
                all.append(
                                value instanceof byte[] bytes
                                        ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                                        : String.valueOf(value))
                        .append('\u0000');
            }
        }
        return all.toString();
    }

    /** Whether {@code needle} occurs in {@code haystack}. */
    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Reads a whole stream. */
    public static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static String bucket() {
        return config().getValue("spalce.evidence.s3.bucket", String.class);
    }

    private static synchronized S3Client s3() {
        if (s3 == null) {
            Config config = config();
            s3 = S3Client.builder()
                    .region(Region.of(config.getValue("spalce.evidence.s3.region", String.class)))
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .endpointOverride(URI.create(config.getValue("spalce.evidence.s3.endpoint", String.class)))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            config.getValue("spalce.evidence.s3.access-key", String.class),
                            config.getValue("spalce.evidence.s3.secret-key", String.class))))
                    .build();
        }
        return s3;
    }

    private static Config config() {
        return ConfigProvider.getConfig();
    }
}
