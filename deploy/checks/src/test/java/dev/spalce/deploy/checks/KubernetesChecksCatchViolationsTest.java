package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spalce.deploy.checks.k8s.KubernetesChecks;
import dev.spalce.deploy.checks.k8s.Kustomize;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each check fails on a real violation: a copy of the rendered prod (or dev) overlay is broken in one place
 * and the check that guards that place must report it, naming the resource.
 */
class KubernetesChecksCatchViolationsTest {

    private static List<String> broken(
            String overlay, Consumer<List<ObjectNode>> breakIt, Function<KubernetesChecks, List<String>> check) {
        List<ObjectNode> documents = new ArrayList<>(Repo.overlayCopy(overlay));
        assertThat(check.apply(new KubernetesChecks(documents, overlay)))
                .as("before breaking it")
                .isEmpty();
        breakIt.accept(documents);
        return check.apply(new KubernetesChecks(documents, overlay));
    }

    private static List<String> broken(
            Consumer<List<ObjectNode>> breakIt, Function<KubernetesChecks, List<String>> check) {
        return broken("prod", breakIt, check);
    }

    private static ObjectNode doc(List<ObjectNode> documents, String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText())
                        && name.equals(d.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow();
    }

    private static ObjectNode container(List<ObjectNode> documents, String service) {
        return (ObjectNode) doc(documents, "Deployment", service)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .path(0);
    }

    private static ObjectNode podSpec(List<ObjectNode> documents, String service) {
        return (ObjectNode) doc(documents, "Deployment", service)
                .path("spec")
                .path("template")
                .path("spec");
    }

    private static void remove(List<ObjectNode> documents, String kind, String name) {
        documents.remove(doc(documents, kind, name));
    }

    @Test
    void aMissingReadinessProbeOrAProbeOnTheServicePortIsReported() {
        assertThat(broken(
                        d -> container(d, Design.CRYPTO).remove("readinessProbe"),
                        KubernetesChecks::probesOnManagementPort))
                .anyMatch(v -> v.contains("Deployment/crypto-service") && v.contains("readinessProbe"));
        assertThat(broken(
                        d -> ((ObjectNode) container(d, Design.EVIDENCE)
                                        .path("livenessProbe")
                                        .path("httpGet"))
                                .put("port", "http"),
                        KubernetesChecks::probesOnManagementPort))
                .anyMatch(v -> v.contains("livenessProbe must use port 9000"));
    }

    @Test
    void aProbeOrAScrapeOverPlainHttpIsReported() {
        assertThat(broken(
                        d -> ((ObjectNode) container(d, Design.AUDIT)
                                        .path("readinessProbe")
                                        .path("httpGet"))
                                .remove("scheme"),
                        KubernetesChecks::probesOnManagementPort))
                .anyMatch(v -> v.contains("Deployment/audit-log-service")
                        && v.contains("readinessProbe must use scheme HTTPS"));
        assertThat(broken(
                        d -> ((ObjectNode) container(d, Design.CRYPTO)
                                        .path("startupProbe")
                                        .path("httpGet"))
                                .put("scheme", "HTTP"),
                        KubernetesChecks::probesOnManagementPort))
                .anyMatch(v -> v.contains("startupProbe must use scheme HTTPS"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Deployment", Design.REWRAP)
                                        .path("spec")
                                        .path("template")
                                        .path("metadata")
                                        .path("annotations"))
                                .remove("prometheus.io/scheme"),
                        KubernetesChecks::probesOnManagementPort))
                .anyMatch(v -> v.contains("Deployment/rewrap-worker") && v.contains("prometheus.io/scheme"));
    }

    @Test
    void rootWritableRootfsCapabilitiesAndNoSeccompAreReported() {
        assertThat(broken(
                        d -> ((ObjectNode) podSpec(d, Design.EVIDENCE).path("securityContext"))
                                .put("runAsNonRoot", false),
                        KubernetesChecks::securityContexts))
                .anyMatch(v -> v.contains("runAsNonRoot"));
        assertThat(broken(
                        d -> ((ObjectNode) container(d, Design.EVIDENCE).path("securityContext"))
                                .put("readOnlyRootFilesystem", false),
                        KubernetesChecks::securityContexts))
                .anyMatch(v -> v.contains("readOnlyRootFilesystem"));
        assertThat(broken(
                        d -> ((ObjectNode) container(d, Design.GATEWAY)
                                        .path("securityContext")
                                        .path("capabilities"))
                                .putArray("add")
                                .add("NET_ADMIN"),
                        KubernetesChecks::securityContexts))
                .anyMatch(v -> v.contains("capabilities.add"));
        assertThat(broken(
                        d -> ((ObjectNode) container(d, Design.GATEWAY).path("securityContext"))
                                .put("allowPrivilegeEscalation", true),
                        KubernetesChecks::securityContexts))
                .anyMatch(v -> v.contains("allowPrivilegeEscalation"));
        assertThat(broken(
                        d -> {
                            ((ObjectNode) podSpec(d, Design.REWRAP).path("securityContext")).remove("seccompProfile");
                            ((ObjectNode) container(d, Design.REWRAP).path("securityContext")).remove("seccompProfile");
                        },
                        KubernetesChecks::securityContexts))
                .anyMatch(v -> v.contains("seccompProfile"));
    }

    @Test
    void sharedOrDefaultServiceAccountsTokensAndStrayRolesAreReported() {
        assertThat(broken(
                        d -> podSpec(d, Design.AUDIT).put("serviceAccountName", "default"),
                        KubernetesChecks::serviceAccounts))
                .anyMatch(v -> v.contains("own ServiceAccount"));
        assertThat(broken(
                        d -> podSpec(d, Design.AUDIT).put("automountServiceAccountToken", true),
                        KubernetesChecks::serviceAccounts))
                .anyMatch(v -> v.contains("automountServiceAccountToken"));
        assertThat(broken(
                        d -> ((ObjectNode)
                                        doc(d, "ServiceAccount", Design.REWRAP).path("metadata"))
                                .putObject("annotations")
                                .put("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/x"),
                        KubernetesChecks::serviceAccounts))
                .anyMatch(v -> v.contains("must have no IAM role"));
        assertThat(broken(
                        d -> ((ObjectNode)
                                        doc(d, "ServiceAccount", Design.CRYPTO).path("metadata"))
                                .remove("annotations"),
                        KubernetesChecks::serviceAccounts))
                .anyMatch(v -> v.contains("needs an IAM role"));
    }

    @Test
    void aMissingOrBlockingDisruptionBudgetIsReported() {
        assertThat(broken(d -> remove(d, "PodDisruptionBudget", Design.REWRAP), KubernetesChecks::disruptionBudgets))
                .anyMatch(v -> v.contains("Deployment/rewrap-worker"));
        assertThat(broken(
                        "dev",
                        d -> {
                            ObjectNode spec = (ObjectNode)
                                    doc(d, "PodDisruptionBudget", Design.AUDIT).path("spec");
                            spec.remove("maxUnavailable");
                            spec.put("minAvailable", 1);
                        },
                        KubernetesChecks::disruptionBudgets))
                .anyMatch(v -> v.contains("blocks every eviction"));
    }

    @Test
    void replicasOutsideTheEnvironmentsRuleAreReported() {
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Deployment", Design.CRYPTO).path("spec")).put("replicas", 1),
                        KubernetesChecks::replicas))
                .anyMatch(v -> v.contains("at least two"));
        assertThat(broken(
                        "dev",
                        d -> ((ObjectNode) doc(d, "Deployment", Design.EVIDENCE).path("spec")).put("replicas", 3),
                        KubernetesChecks::replicas))
                .anyMatch(v -> v.contains("one replica"));
    }

    @Test
    void wrongAutoscalingIsReported() {
        assertThat(broken(d -> remove(d, "HorizontalPodAutoscaler", Design.GATEWAY), KubernetesChecks::autoscaling))
                .anyMatch(v -> v.contains("HorizontalPodAutoscaler"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "ScaledObject", Design.REWRAP)
                                        .path("spec")
                                        .path("triggers")
                                        .path(0)
                                        .path("metadata"))
                                .put("topic", "spalce.audit.v1"),
                        KubernetesChecks::autoscaling))
                .anyMatch(v -> v.contains("topic spalce.keys.v1"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "ScaledObject", Design.REWRAP)
                                        .path("spec")
                                        .path("triggers")
                                        .path(0)
                                        .path("metadata"))
                                .put("bootstrapServers", "elsewhere:9092"),
                        KubernetesChecks::autoscaling))
                .anyMatch(v -> v.contains("services' brokers"));
    }

    @Test
    void exposedServicesAndStrayIngressRoutesAreReported() {
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Service", Design.AUDIT).path("spec")).put("type", "LoadBalancer"),
                        KubernetesChecks::services))
                .anyMatch(v -> v.contains("ClusterIP"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Ingress", Design.GATEWAY)
                                        .path("spec")
                                        .path("rules")
                                        .path(0)
                                        .path("http")
                                        .path("paths")
                                        .path(0)
                                        .path("backend")
                                        .path("service"))
                                .put("name", Design.EVIDENCE),
                        KubernetesChecks::ingress))
                .anyMatch(v -> v.contains("routes only to auth-gateway"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Ingress", Design.GATEWAY).path("spec")).remove("tls"),
                        KubernetesChecks::ingress))
                .anyMatch(v -> v.contains("TLS is required"));
    }

    @Test
    void aPublicCertificateNotFromTheAcmeIssuerIsReported() {
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Ingress", Design.GATEWAY)
                                        .path("metadata")
                                        .path("annotations"))
                                .remove("cert-manager.io/cluster-issuer"),
                        KubernetesChecks::ingress))
                .anyMatch(v -> v.contains("must be issued by cert-manager's ACME ClusterIssuer"));
        // An ExternalSecret writing the same Secret would overwrite cert-manager's certificate on every refresh.
        assertThat(broken(
                        d -> {
                            ObjectNode copy =
                                    doc(d, "ExternalSecret", "auth-gateway-tls").deepCopy();
                            ((ObjectNode) copy.path("metadata")).put("name", "spalce-public-tls");
                            ((ObjectNode) copy.path("spec").path("target")).put("name", "spalce-public-tls");
                            d.add(copy);
                        },
                        KubernetesChecks::ingress))
                .anyMatch(v -> v.contains("written by no ExternalSecret"));
    }

    @Test
    void noDefaultDenyOrAServiceWithoutItsPolicyIsReported() {
        assertThat(broken(d -> remove(d, "NetworkPolicy", "default-deny-all"), KubernetesChecks::networkPolicies))
                .anyMatch(v -> v.contains("no default-deny"));
        // audit-log-service stays selected by the shared AWS-endpoints policy: its own one's flows go missing.
        assertThat(broken(d -> remove(d, "NetworkPolicy", Design.AUDIT), KubernetesChecks::networkPolicies))
                .anyMatch(v -> v.contains("service-to-service ingress must be exactly"));
        assertThat(broken(d -> remove(d, "NetworkPolicy", Design.REWRAP), KubernetesChecks::networkPolicies))
                .anyMatch(v -> v.contains("Deployment/rewrap-worker: no NetworkPolicy selects it"));
    }

    @Test
    void aFlowTheDesignDoesNotHaveIsReported() {
        // rewrap-worker may now call audit-log-service: both sides opened.
        List<String> violations = broken(
                d -> {
                    ArrayNode from = (ArrayNode) doc(d, "NetworkPolicy", Design.AUDIT)
                            .path("spec")
                            .path("ingress")
                            .path(0)
                            .path("from");
                    from.addObject()
                            .putObject("podSelector")
                            .putObject("matchLabels")
                            .put("app.kubernetes.io/name", Design.REWRAP);
                    ArrayNode to = (ArrayNode) doc(d, "NetworkPolicy", Design.REWRAP)
                            .path("spec")
                            .path("egress")
                            .path(0)
                            .path("to");
                    to.addObject()
                            .putObject("podSelector")
                            .putObject("matchLabels")
                            .put("app.kubernetes.io/name", Design.AUDIT);
                },
                KubernetesChecks::networkPolicies);
        assertThat(violations)
                .anyMatch(v -> v.contains("found") && v.contains("rewrap-worker->audit-log-service:8080"));
        assertThat(broken(
                        d -> ((ArrayNode) doc(d, "NetworkPolicy", Design.AUDIT)
                                        .path("spec")
                                        .path("ingress"))
                                .addObject()
                                .putArray("from")
                                .addObject()
                                .putObject("namespaceSelector"),
                        KubernetesChecks::networkPolicies))
                .anyMatch(v -> v.contains("without ports"));
    }

    @Test
    void internetEgressForAnyoneButCryptoServiceIsReported() {
        assertThat(broken(
                        d -> {
                            ObjectNode rule = ((ArrayNode) doc(d, "NetworkPolicy", Design.EVIDENCE)
                                            .path("spec")
                                            .path("egress"))
                                    .addObject();
                            rule.putArray("to")
                                    .addObject()
                                    .putObject("ipBlock")
                                    .put("cidr", "0.0.0.0/0")
                                    .putArray("except")
                                    .add("10.0.0.0/8")
                                    .add("172.16.0.0/12")
                                    .add("192.168.0.0/16")
                                    .add("169.254.0.0/16");
                            rule.putArray("ports")
                                    .addObject()
                                    .put("protocol", "TCP")
                                    .put("port", 443);
                        },
                        KubernetesChecks::networkPolicies))
                .anyMatch(v -> v.contains("evidence-service: only crypto-service may reach"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "NetworkPolicy", Design.CRYPTO)
                                        .path("spec")
                                        .path("egress")
                                        .path(0)
                                        .path("to")
                                        .path(0)
                                        .path("ipBlock"))
                                .remove("except"),
                        KubernetesChecks::networkPolicies))
                .anyMatch(v -> v.contains("exclude private and link-local"));
    }

    @Test
    void literalSecretsAndSecretsNoExternalSecretProducesAreReported() {
        assertThat(broken(d -> d.addAll(Kustomize.parse("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: leaked
                  namespace: spalce
                stringData:
                  password: hunter2
                """)), KubernetesChecks::secretsFromExternalSecretsOnly))
                .anyMatch(v -> v.contains("Secret/leaked"));
        assertThat(broken(
                        d -> {
                            ObjectNode env =
                                    ((ArrayNode) container(d, Design.REWRAP).path("env")).addObject();
                            env.put("name", "SPALCE_DB_APP_PASSWORD_OVERRIDE").put("value", "hunter2");
                        },
                        KubernetesChecks::secretsFromExternalSecretsOnly))
                .anyMatch(v -> v.contains("must come from a secretKeyRef"));
        assertThat(broken(
                        d -> {
                            for (JsonNode env : container(d, Design.CRYPTO).path("env")) {
                                if (env.path("name").asText().equals("SPALCE_OIDC_SERVICE_SECRET")) {
                                    ((ObjectNode) env.path("valueFrom").path("secretKeyRef"))
                                            .put("name", "handmade-secret");
                                }
                            }
                        },
                        KubernetesChecks::secretsFromExternalSecretsOnly))
                .anyMatch(v -> v.contains("no ExternalSecret produces"));
        assertThat(broken(
                        d -> ((ObjectNode) d.stream()
                                        .filter(x -> x.path("kind").asText().equals("ConfigMap"))
                                        .findFirst()
                                        .orElseThrow()
                                        .path("data"))
                                .put("SPALCE_DB_ADMIN_PASSWORD", "hunter2"),
                        KubernetesChecks::secretsFromExternalSecretsOnly))
                .anyMatch(v -> v.contains("secret in a ConfigMap"));
    }

    @Test
    void missingConfigurationAndPlainHttpOnTheGatewayAreReported() {
        assertThat(broken(
                        d -> d.stream()
                                .filter(x -> x.path("kind").asText().equals("ConfigMap"))
                                .forEach(cm -> ((ObjectNode) cm.path("data")).remove("SPALCE_OIDC_ISSUER")),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("missing configuration [SPALCE_OIDC_ISSUER]"));
        assertThat(broken(
                        d -> {
                            for (JsonNode env : container(d, Design.GATEWAY).path("env")) {
                                if (env.path("name").asText().equals("QUARKUS_HTTP_INSECURE_REQUESTS")) {
                                    ((ObjectNode) env).put("value", "enabled");
                                }
                            }
                        },
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("QUARKUS_HTTP_INSECURE_REQUESTS must be disabled"));
    }

    private static void removeEnv(List<ObjectNode> documents, String service, String name) {
        ArrayNode env = (ArrayNode) container(documents, service).path("env");
        for (int i = env.size() - 1; i >= 0; i--) {
            if (env.get(i).path("name").asText().equals(name)) {
                env.remove(i);
            }
        }
    }

    private static ObjectNode volumeMount(List<ObjectNode> documents, String service, String path) {
        return entry(documents, service, "volumeMounts", "mountPath", path);
    }

    /** The entry of the service's container's list {@code list} whose {@code field} is {@code value}. */
    private static ObjectNode entry(
            List<ObjectNode> documents, String service, String list, String field, String value) {
        for (JsonNode entry : container(documents, service).path(list)) {
            if (entry.path(field).asText().equals(value)) {
                return (ObjectNode) entry;
            }
        }
        throw new AssertionError(service + " has no " + list + " entry with " + field + " " + value);
    }

    @Test
    void aMissingInternalTokenKeyOrDatabaseCaIsReported() {
        assertThat(broken(
                        d -> removeEnv(d, Design.EVIDENCE, "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY"),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains(
                        "Deployment/evidence-service: missing configuration" + " [SPALCE_INTERNAL_TOKEN_PUBLIC_KEY]"));
        assertThat(broken(
                        d -> removeEnv(d, Design.GATEWAY, "SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY"),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/auth-gateway: missing configuration"
                        + " [SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY]"));
        assertThat(broken(
                        d -> removeEnv(d, Design.CRYPTO, "SPALCE_DB_CA_CERTIFICATE"), KubernetesChecks::configuration))
                .anyMatch(
                        v -> v.contains("Deployment/crypto-service: missing configuration [SPALCE_DB_CA_CERTIFICATE]"));
        assertThat(broken(
                        "dev",
                        d -> removeEnv(d, Design.AUDIT, "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY"),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains(
                        "Deployment/audit-log-service: missing configuration" + " [SPALCE_INTERNAL_TOKEN_PUBLIC_KEY]"));
    }

    @Test
    void anInternalTokenPublicKeyFromAnotherSourceIsReported() {
        // rewrap-worker would verify the gateway's tokens with a key of its own secret: not the gateway's.
        assertThat(broken(
                        d -> {
                            for (JsonNode data : doc(d, "ExternalSecret", "rewrap-worker-secrets")
                                    .path("spec")
                                    .path("data")) {
                                if (data.path("secretKey").asText().equals("internal-token-public-key")) {
                                    ((ObjectNode) data.path("remoteRef")).put("key", "spalce/rewrap-worker");
                                }
                            }
                        },
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("SPALCE_INTERNAL_TOKEN_PUBLIC_KEY must come from one source")
                        && v.contains("spalce/rewrap-worker#public_key"));
    }

    @Test
    void theGatewaysSigningKeyElsewhereOrRetiredTlsSettingsAreReported() {
        assertThat(broken(
                        d -> ((ArrayNode) container(d, Design.AUDIT).path("env"))
                                .addObject()
                                .put("name", "SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY")
                                .putObject("valueFrom")
                                .putObject("secretKeyRef")
                                .put("name", "audit-log-service-secrets")
                                .put("key", "db-app-password"),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/audit-log-service: SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY"
                        + " belongs to auth-gateway only"));
        assertThat(broken(
                        d -> ((ArrayNode) container(d, Design.GATEWAY).path("env"))
                                .addObject()
                                .put("name", "QUARKUS_HTTP_SSL_CERTIFICATE_FILES")
                                .put("value", "/etc/spalce/tls/tls.crt"),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("QUARKUS_HTTP_SSL_CERTIFICATE_FILES is no longer read"));
        assertThat(broken(
                        d -> {
                            removeEnv(d, Design.GATEWAY, "SPALCE_TLS_KEY");
                            ((ArrayNode) container(d, Design.GATEWAY).path("env"))
                                    .addObject()
                                    .put("name", "SPALCE_TLS_KEY")
                                    .put("value", "/etc/spalce/other/tls.key");
                        },
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("SPALCE_TLS_KEY must be /etc/spalce/tls/tls.key"));
    }

    @Test
    void aDatabaseCaOrTlsKeyPairNotMountedReadOnlyIsReported() {
        assertThat(broken(
                        d -> volumeMount(d, Design.REWRAP, "/etc/spalce/db-ca").put("readOnly", false),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/rewrap-worker: the database's CA bundle must be mounted read-only"
                        + " at /etc/spalce/db-ca"));
        assertThat(broken(
                        d -> {
                            ArrayNode mounts =
                                    (ArrayNode) container(d, Design.EVIDENCE).path("volumeMounts");
                            for (int i = mounts.size() - 1; i >= 0; i--) {
                                if (mounts.get(i).path("mountPath").asText().equals("/etc/spalce/db-ca")) {
                                    mounts.remove(i);
                                }
                            }
                        },
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/evidence-service: the database's CA bundle must be mounted"));
        assertThat(broken(
                        d -> {
                            for (JsonNode volume : podSpec(d, Design.AUDIT).path("volumes")) {
                                if (volume.path("name").asText().equals("db-ca")) {
                                    ((ObjectNode) volume.path("configMap")
                                                    .path("items")
                                                    .path(0))
                                            .put("path", "ca.pem");
                                }
                            }
                        },
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/audit-log-service: volume db-ca does not provide"
                        + " /etc/spalce/db-ca/rds-ca.pem"));
        assertThat(broken(
                        d -> {
                            for (JsonNode volume : podSpec(d, Design.CRYPTO).path("volumes")) {
                                if (volume.path("name").asText().equals("db-ca")) {
                                    ((ObjectNode) volume).remove("configMap");
                                    ((ObjectNode) volume).putObject("emptyDir");
                                }
                            }
                        },
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/crypto-service: the database's CA bundle at /etc/spalce/db-ca"
                        + " must come from a volume of kind"));
        assertThat(broken(
                        d -> volumeMount(d, Design.GATEWAY, "/etc/spalce/tls").remove("readOnly"),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/auth-gateway: the TLS key pair must be mounted read-only"));
    }

    @Test
    void anExtraWorkloadOrAMissingNamespaceIsReported() {
        assertThat(broken(d -> d.addAll(Kustomize.parse("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: sidecar
                  namespace: spalce
                """)), KubernetesChecks::workloadsAreTheServices))
                .anyMatch(v -> v.contains("DaemonSet/sidecar"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Service", Design.CRYPTO).path("metadata")).remove("namespace"),
                        KubernetesChecks::workloadsAreTheServices))
                .anyMatch(v -> v.contains("Service/crypto-service"));
    }

    private static ObjectNode env(List<ObjectNode> documents, String service, String name) {
        return entry(documents, service, "env", "name", name);
    }

    /** The service's variable {@code name} given as the literal {@code value} instead of its reference. */
    private static void literal(List<ObjectNode> documents, String service, String name, String value) {
        ObjectNode env = env(documents, service, name);
        env.remove("valueFrom");
        env.put("value", value);
    }

    private static void missingIsReported(String service, String name) {
        assertThat(broken(d -> removeEnv(d, service, name), KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/" + service + ": missing configuration [" + name + "]"));
    }

    @Test
    void evidenceServicesKeysMissingLiteralOrElsewhereAreReported() {
        missingIsReported(Design.EVIDENCE, "SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY");
        missingIsReported(Design.EVIDENCE, "SPALCE_PERSONNEL_BLIND_INDEX_KEY");
        assertThat(broken(
                        d -> literal(
                                d,
                                Design.EVIDENCE,
                                "SPALCE_PERSONNEL_BLIND_INDEX_KEY",
                                "c3BhbGNlLWxvY2FsLWJsaW5kLWluZGV4LWtleS1ub3Qtc2VjcmV0"),
                        KubernetesChecks::secretsFromExternalSecretsOnly))
                .anyMatch(v ->
                        v.contains("SPALCE_PERSONNEL_BLIND_INDEX_KEY is a secret and must come from a secretKeyRef"));
        assertThat(broken(
                        d -> ((ArrayNode) container(d, Design.REWRAP).path("env"))
                                .add(env(d, Design.EVIDENCE, "SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY")
                                        .deepCopy()),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/rewrap-worker:"
                        + " SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY belongs to evidence-service only"));
    }

    @Test
    void evidenceObjectsUnderAnotherKeyOrInAnotherRegionAreReported() {
        assertThat(broken(
                        d -> env(d, Design.EVIDENCE, "SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION")
                                .put("value", "AES256"),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains("Deployment/evidence-service:"
                        + " SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION must be none, found AES256"));
        missingIsReported(Design.EVIDENCE, "SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION");
        missingIsReported(Design.EVIDENCE, "SPALCE_S3_REGION");
        assertThat(broken(
                        d -> literal(d, Design.EVIDENCE, "SPALCE_S3_REGION", "us-east-1"),
                        KubernetesChecks::configuration))
                .anyMatch(v -> v.contains(
                        "Deployment/evidence-service: SPALCE_S3_REGION" + " must be the same as AWS_REGION"));
    }

    @Test
    void anIngressThatCapsUploadsOrCutsLongTransfersIsReported() {
        String prefix = "nginx.ingress.kubernetes.io/";
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Ingress", Design.GATEWAY)
                                        .path("metadata")
                                        .path("annotations"))
                                .remove(prefix + "proxy-body-size"),
                        KubernetesChecks::ingress))
                .anyMatch(v -> v.contains("proxy-body-size must be set") && v.contains("found none"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Ingress", Design.GATEWAY)
                                        .path("metadata")
                                        .path("annotations"))
                                .put(prefix + "proxy-body-size", "1m"),
                        KubernetesChecks::ingress))
                .anyMatch(v -> v.contains("proxy-body-size must be set") && v.contains("found 1m"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Ingress", Design.GATEWAY)
                                        .path("metadata")
                                        .path("annotations"))
                                .put(prefix + "proxy-request-buffering", "on"),
                        KubernetesChecks::ingress))
                .anyMatch(v -> v.contains("proxy-request-buffering must be off"));
        assertThat(broken(
                        d -> ((ObjectNode) doc(d, "Ingress", Design.GATEWAY)
                                        .path("metadata")
                                        .path("annotations"))
                                .put(prefix + "proxy-read-timeout", "60"),
                        KubernetesChecks::ingress))
                .anyMatch(v -> v.contains("proxy-read-timeout must be at least 300 seconds"));
        assertThat(KubernetesChecks.nginxSize("2049m")).isEqualTo(Design.GATEWAY_MAX_BODY_BYTES);
        assertThat(KubernetesChecks.nginxSize("2g")).isLessThan(Design.GATEWAY_MAX_BODY_BYTES);
        assertThat(KubernetesChecks.nginxSize("0")).isNegative();
    }
}
