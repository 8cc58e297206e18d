package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spalce.deploy.checks.k8s.KubernetesChecks;
import dev.spalce.deploy.checks.k8s.MigrationChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each migration check fails on a real violation: copies of the rendered prod migrations and app are broken
 * in one place and the check that guards that place must report it, naming the resource.
 */
class MigrationChecksCatchViolationsTest {

    /** Breaks the migrations and the app (in that order of the consumer's arguments), then runs the check. */
    private static List<String> broken(
            BiConsumer<List<ObjectNode>, List<ObjectNode>> breakIt, Function<MigrationChecks, List<String>> check) {
        List<ObjectNode> migrations = new ArrayList<>(Repo.migrationsCopy("prod"));
        List<ObjectNode> app = new ArrayList<>(Repo.overlayCopy("prod"));
        assertThat(check.apply(new MigrationChecks(migrations, app, "prod")))
                .as("before breaking it")
                .isEmpty();
        breakIt.accept(migrations, app);
        return check.apply(new MigrationChecks(migrations, app, "prod"));
    }

    private static ObjectNode doc(List<ObjectNode> documents, String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText())
                        && name.equals(d.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow();
    }

    private static ObjectNode podSpec(List<ObjectNode> documents, String kind, String name) {
        return (ObjectNode)
                doc(documents, kind, name).path("spec").path("template").path("spec");
    }

    private static ObjectNode job(List<ObjectNode> migrations, String service) {
        return (ObjectNode) podSpec(migrations, "Job", service + "-migration")
                .path("containers")
                .path(0);
    }

    private static ObjectNode env(ObjectNode container, String name) {
        for (var env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
                return (ObjectNode) env;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void aMissingJobAnotherImageOrAJobThatRetriesForeverIsReported() {
        assertThat(broken((m, a) -> m.remove(doc(m, "Job", Design.AUDIT + "-migration")), MigrationChecks::jobs))
                .anyMatch(v -> v.contains("Jobs must be exactly"));
        assertThat(broken(
                        (m, a) -> job(m, Design.CRYPTO).put("image", "spalce/crypto-service:0.0.9"),
                        MigrationChecks::jobs))
                .anyMatch(v -> v.contains("Job/crypto-service-migration: must run the app's image"));
        assertThat(broken(
                        (m, a) -> ((ObjectNode) doc(m, "Job", Design.REWRAP + "-migration")
                                        .path("spec"))
                                .put("backoffLimit", 6),
                        MigrationChecks::jobs))
                .anyMatch(v -> v.contains("backoffLimit"));
        assertThat(broken(
                        (m, a) -> podSpec(m, "Job", Design.GATEWAY + "-migration")
                                .put("serviceAccountName", Design.GATEWAY),
                        MigrationChecks::jobs))
                .anyMatch(v -> v.contains("the migrations' own ServiceAccount"));
    }

    @Test
    void aWritableOrRootMigrationPodIsReportedByTheServicesChecks() {
        List<ObjectNode> migrations = new ArrayList<>(Repo.migrationsCopy("prod"));
        ((ObjectNode) job(migrations, Design.EVIDENCE).path("securityContext")).put("readOnlyRootFilesystem", false);
        assertThat(new KubernetesChecks(migrations, "prod").securityContexts())
                .containsExactly("Job/evidence-service-migration/migrate: readOnlyRootFilesystem must be true");
    }

    @Test
    void anAppPasswordOrAdminCredentialFromElsewhereIsReported() {
        assertThat(broken(
                        (m, a) -> ((ObjectNode) env(job(m, Design.CRYPTO), "SPALCE_DB_APP_PASSWORD")
                                        .path("valueFrom")
                                        .path("secretKeyRef"))
                                .put("name", "evidence-service-secrets"),
                        MigrationChecks::database))
                .anyMatch(
                        v -> v.contains("Job/crypto-service-migration")
                                && v.contains(
                                        "SPALCE_DB_APP_PASSWORD must come from Secrets Manager spalce/crypto-service#db_app_password"));
        assertThat(broken(
                        (m, a) -> env(job(m, Design.AUDIT), "SPALCE_DB_ADMIN_PASSWORD")
                                .remove("valueFrom"),
                        MigrationChecks::database))
                .anyMatch(v -> v.contains(
                        "SPALCE_DB_ADMIN_PASSWORD must come from" + " Secrets Manager spalce/db-admin#password"));
    }

    @Test
    void aDatabaseAddressOrCaBundleOtherThanTheServicesIsReported() {
        assertThat(broken(
                        (m, a) -> env(job(m, Design.EVIDENCE), "SPALCE_DB_HOST")
                                .put("value", "10.0.0.1")
                                .remove("valueFrom"),
                        MigrationChecks::database))
                .anyMatch(
                        v -> v.contains("Job/evidence-service-migration: SPALCE_DB_HOST must come from the ConfigMap"));
        assertThat(broken(
                        (m, a) -> ((ArrayNode) job(m, Design.GATEWAY).path("volumeMounts")).remove(1),
                        MigrationChecks::database))
                .anyMatch(v -> v.contains("Job/auth-gateway-migration: the database's CA"
                        + " bundle must be mounted read-only at /etc/spalce/db-ca"));
    }

    @Test
    void theAdminCredentialInARunningServiceIsReported() {
        assertThat(broken(
                        (a, app) -> {
                            ArrayNode env = (ArrayNode) podSpec(app, "Deployment", Design.EVIDENCE)
                                    .path("containers")
                                    .path(0)
                                    .path("env");
                            env.addObject()
                                    .put("name", "SPALCE_DB_ADMIN_PASSWORD")
                                    .putObject("valueFrom")
                                    .putObject("secretKeyRef")
                                    .put("name", "spalce-db-admin")
                                    .put("key", "password");
                        },
                        MigrationChecks::adminCredentialInMigrationsOnly))
                .anyMatch(v ->
                        v.contains("Deployment/evidence-service: SPALCE_DB_ADMIN_PASSWORD is the migration role's"));
        assertThat(broken(
                        (m, app) -> ((ArrayNode) doc(app, "ExternalSecret", "crypto-service-secrets")
                                        .path("spec")
                                        .path("data"))
                                .addObject()
                                .put("secretKey", "admin")
                                .putObject("remoteRef")
                                .put("key", "spalce/db-admin")
                                .put("property", "password"),
                        MigrationChecks::adminCredentialInMigrationsOnly))
                .anyMatch(v -> v.contains("ExternalSecret/crypto-service-secrets: reads spalce/db-admin"));
    }

    @Test
    void kafkaEgressOrAnAppPolicySelectingTheMigrationsIsReported() {
        assertThat(broken(
                        (m, a) -> ((ObjectNode) doc(m, "NetworkPolicy", "migrations")
                                        .path("spec")
                                        .path("egress")
                                        .path(0)
                                        .path("ports")
                                        .path(0))
                                .put("port", 9094),
                        MigrationChecks::networkPolicy))
                .anyMatch(v -> v.contains("Job/crypto-service-migration: egress must be exactly"));
        assertThat(broken(
                        (m, a) -> ((ObjectNode) doc(m, "Job", Design.REWRAP + "-migration")
                                        .path("spec")
                                        .path("template")
                                        .path("metadata")
                                        .path("labels"))
                                .put("app.kubernetes.io/part-of", "spalce"),
                        MigrationChecks::networkPolicy))
                .anyMatch(v -> v.contains(
                        "NetworkPolicy/allow-kafka-egress: an app" + " policy selects Job/rewrap-worker-migration"));
    }
}
