package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.deploy.checks.k8s.KubernetesChecks;
import dev.spalce.deploy.checks.k8s.MigrationChecks;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay's migrations ({@code overlays/ENV/migrations}) beside its app and checks them: the pods
 * hardened like the services', and the migrations' own invariants.
 */
class KubernetesMigrationsTest {

    private static void checkPods(String overlay, Function<KubernetesChecks, List<String>> invariant) {
        assertThat(invariant.apply(new KubernetesChecks(Repo.migrations(overlay), overlay)))
                .as("violations in the migrations of " + overlay)
                .isEmpty();
    }

    private static void check(String overlay, Function<MigrationChecks, List<String>> invariant) {
        assertThat(invariant.apply(new MigrationChecks(Repo.migrations(overlay), Repo.overlay(overlay), overlay)))
                .as("violations in the migrations of " + overlay)
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void migrationPodsRunNonRootReadOnlyWithoutCapabilities(String overlay) {
        checkPods(overlay, KubernetesChecks::securityContexts);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void oneJobPerServiceRunsTheAppsImageInInitAndExitMode(String overlay) {
        check(overlay, MigrationChecks::jobs);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void theJobsMigrateTheServicesDatabaseAsTheMigrationRole(String overlay) {
        check(overlay, MigrationChecks::database);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheMigrationJobsGetTheAdminCredential(String overlay) {
        check(overlay, MigrationChecks::adminCredentialInMigrationsOnly);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void migrationPodsReachPostgresAndDnsOnly(String overlay) {
        check(overlay, MigrationChecks::networkPolicy);
    }
}
