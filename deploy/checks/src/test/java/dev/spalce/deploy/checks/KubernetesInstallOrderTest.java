package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spalce.deploy.checks.k8s.InstallOrderChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The install order of {@code deploy/k8s/install.sh} on each rendered overlay: the prerequisites labelled, every
 * Secret a pod or a Job reads written by one of them, and the script waiting for each step; and each of those checks
 * failing on a copy broken in one place.
 */
class KubernetesInstallOrderTest {

    private static InstallOrderChecks checks(String overlay) {
        return new InstallOrderChecks(Repo.overlay(overlay), Repo.migrations(overlay));
    }

    private static InstallOrderChecks broken(String overlay, Consumer<List<ObjectNode>> change) {
        List<ObjectNode> app = new ArrayList<>(Repo.overlayCopy(overlay));
        change.accept(app);
        return new InstallOrderChecks(app, Repo.migrations(overlay));
    }

    private static ObjectNode find(List<ObjectNode> documents, String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText())
                        && name.equals(d.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(kind + "/" + name + " not rendered"));
    }

    private static String script() throws IOException {
        return Files.readString(Repo.deploy("k8s/install.sh"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void prerequisites_areExactlyTheNamespaceStoresIssuersCertificatesAndExternalSecrets(String overlay) {
        assertThat(checks(overlay).prerequisitesLabelled()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void everySecretAPodOrJobReads_isWrittenByAPrerequisite(String overlay) {
        assertThat(checks(overlay).secretsComeFromPrerequisites()).isEmpty();
    }

    @Test
    void installScript_waitsForEachStep_andMigratesBeforeTheApp() throws IOException {
        assertThat(InstallOrderChecks.script(script())).isEmpty();
    }

    @Test
    void anUnlabelledCertificateOrALabelledDeployment_isReported() {
        assertThat(broken(
                                "prod",
                                app -> ((ObjectNode) find(app, "Certificate", "crypto-service-internal-tls")
                                                .path("metadata")
                                                .path("labels"))
                                        .remove(InstallOrderChecks.LABEL))
                        .prerequisitesLabelled())
                .anyMatch(v -> v.startsWith("Certificate/crypto-service-internal-tls: must be labelled"));
        assertThat(broken(
                                "prod",
                                app -> ((ObjectNode) find(app, "Deployment", "evidence-service")
                                                .path("metadata")
                                                .path("labels"))
                                        .put(InstallOrderChecks.LABEL, InstallOrderChecks.PREREQUISITES))
                        .prerequisitesLabelled())
                .anyMatch(v -> v.startsWith("Deployment/evidence-service: must not be labelled"));
    }

    @Test
    void aSecretThatNoPrerequisiteWrites_isReported() {
        assertThat(broken("dev", app -> app.remove(find(app, "ExternalSecret", "audit-log-service-secrets")))
                        .secretsComeFromPrerequisites())
                .anyMatch(v -> v.startsWith("Deployment/audit-log-service: reads the Secret"));
    }

    @Test
    void aScriptThatAppliesTheAppBeforeTheMigrations_isReported() throws IOException {
        String text = script();
        String swapped = text.replace("./run-migrations.sh \"$overlay\"", "MIGRATE")
                .replace("kubectl apply -k \"overlays/$overlay\"\n", "APPLY\n")
                .replace("MIGRATE", "kubectl apply -k \"overlays/$overlay\"")
                .replace("APPLY\n", "./run-migrations.sh \"$overlay\"\n");
        assertThat(swapped).isNotEqualTo(text);
        assertThat(InstallOrderChecks.script(swapped)).isNotEmpty();
    }
}
