package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.deploy.checks.k8s.KubernetesChecks;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay with {@code kubectl kustomize} and checks every invariant on the result: what would
 * be applied to a cluster, not the base's fragments.
 */
class KubernetesOverlaysTest {

    private static void check(String overlay, Function<KubernetesChecks, List<String>> invariant) {
        KubernetesChecks checks = new KubernetesChecks(Repo.overlay(overlay), overlay);
        assertThat(invariant.apply(checks))
                .as("violations in overlay " + overlay)
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void theWorkloadsAreTheFiveServicesInARestrictedNamespace(String overlay) {
        check(overlay, KubernetesChecks::workloadsAreTheServices);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void probesUseTheManagementPort(String overlay) {
        check(overlay, KubernetesChecks::probesOnManagementPort);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void podsRunNonRootReadOnlyWithoutCapabilities(String overlay) {
        check(overlay, KubernetesChecks::securityContexts);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceHasItsOwnServiceAccountAndOnlyCryptoAndEvidenceAnAwsRole(String overlay) {
        check(overlay, KubernetesChecks::serviceAccounts);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceHasADisruptionBudget(String overlay) {
        check(overlay, KubernetesChecks::disruptionBudgets);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void replicasFitTheEnvironment(String overlay) {
        check(overlay, KubernetesChecks::replicas);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void theGatewayScalesOnCpuAndRewrapWorkerOnKafkaLag(String overlay) {
        check(overlay, KubernetesChecks::autoscaling);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void servicesExposeOnlyTheApiPort(String overlay) {
        check(overlay, KubernetesChecks::services);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void theIngressReachesOnlyTheGatewayOverTls(String overlay) {
        check(overlay, KubernetesChecks::ingress);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void networkPoliciesDenyByDefaultAndAllowExactlyTheDesignsFlows(String overlay) {
        check(overlay, KubernetesChecks::networkPolicies);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void secretsComeOnlyFromExternalSecrets(String overlay) {
        check(overlay, KubernetesChecks::secretsFromExternalSecretsOnly);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceGetsTheConfigurationItNeeds(String overlay) {
        check(overlay, KubernetesChecks::configuration);
    }
}
