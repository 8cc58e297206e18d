package dev.spalce.cryptoservice.tenantkey;

import static dev.spalce.cryptoservice.support.TestApi.PROBLEM_BASE;
import static dev.spalce.cryptoservice.support.TestApi.newWorkspace;
import static dev.spalce.cryptoservice.support.TestApi.registerResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.keyproviders.testing.AwsKmsTestServer;
import dev.spalce.keyproviders.testing.KmsTestServers;
import dev.spalce.keyproviders.testing.SoftHsmToken;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * One key serves one workspace, whatever spelling names it: a second workspace registering a key another uses,
 * through each provider's aliases of one key, is refused with 409 before its KMS is asked, and the first
 * registration stores the canonical form.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class KeyReferenceUniquenessTest {

    private static Response register(String workspace, String provider, String keyReference) {
        return registerResponse(workspace, provider, keyReference);
    }

    /** Registers for a new workspace, waiting out a cloud SDK's first, slow call; returns the stored reference. */
    private static String registered(String provider, String keyReference) {
        String workspace = newWorkspace();
        String[] stored = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Response response = register(workspace, provider, keyReference);
            if (response.statusCode() == 201) {
                stored[0] = response.jsonPath().getString("keyReference");
            }
            return response.statusCode() == 201;
        });
        return stored[0];
    }

    private static void refusedAsTaken(String provider, String alias) {
        register(newWorkspace(), provider, alias)
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM_BASE + "workspace-key-already-registered"));
    }

    @Test
    void local_keyOfAnotherWorkspace_inAnyLetterCase_is409() {
        String reference = registered("local", null);

        refusedAsTaken("local", reference);
        refusedAsTaken("local", reference.toUpperCase(Locale.ROOT));
    }

    @Test
    void pkcs11_labelOfAnotherWorkspace_is409() {
        Assumptions.assumeTrue(SoftHsmToken.get().isPresent(), "SoftHSM2 is not available here");
        String label = registered("pkcs11", null);

        refusedAsTaken("pkcs11", label);
    }

    @Test
    void awsKms_arnInOtherLetterCaseOrAnotherRegionsReplica_is409() {
        String arn = KmsTestServers.aws().createKey();
        String upper = arn.substring(0, arn.indexOf("key/") + 4)
                + arn.substring(arn.indexOf("key/") + 4).toUpperCase(Locale.ROOT);
        assertThat(registered("aws-kms", upper)).as("stored canonical").isEqualTo(arn);

        refusedAsTaken("aws-kms", arn);
        refusedAsTaken("aws-kms", " " + arn.toUpperCase(Locale.ROOT) + " ");

        String multiRegion = KmsTestServers.aws().createMultiRegionKey();
        registered("aws-kms", multiRegion);
        // The replica of a multi-Region key in another Region holds the same key material.
        refusedAsTaken("aws-kms", multiRegion.replace(":" + AwsKmsTestServer.REGION + ":", ":us-east-1:"));
    }

    @Test
    void vaultTransit_nameOfAnotherWorkspace_is409() {
        String name = KmsTestServers.vault().createKey(true);
        registered("vault-transit", name);

        refusedAsTaken("vault-transit", name);
    }

    @Test
    void azureKv_identifierInOtherCaseWithTrailingSlash_is409AndStoredLowerCase() {
        String key = KmsTestServers.azure().createKey();
        String shouted =
                key.replace("https://", "HTTPS://").replace("/keys/", "/KEYS/").toUpperCase(Locale.ROOT) + "/";
        assertThat(registered("azure-kv", shouted)).as("stored canonical").isEqualTo(key);

        refusedAsTaken("azure-kv", key);
        refusedAsTaken("azure-kv", key.toUpperCase(Locale.ROOT));
    }

    @Test
    void gcpKms_fullResourceNameOfAnotherWorkspacesKey_is409_andAProjectNumberIsRefused() {
        String name = KmsTestServers.gcp().createKey();
        registered("gcp-kms", "//cloudkms.googleapis.com/" + name);

        refusedAsTaken("gcp-kms", name);
        refusedAsTaken("gcp-kms", name + "/");
        register(newWorkspace(), "gcp-kms", name.replaceFirst("^projects/[^/]+/", "projects/123456789012/"))
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM_BASE + "invalid-request"));
    }
}
