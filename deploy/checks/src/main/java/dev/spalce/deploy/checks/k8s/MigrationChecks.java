package dev.spalce.deploy.checks.k8s;

import static dev.spalce.deploy.checks.k8s.KubernetesChecks.id;
import static dev.spalce.deploy.checks.k8s.KubernetesChecks.name;
import static dev.spalce.deploy.checks.k8s.KubernetesChecks.podLabels;
import static dev.spalce.deploy.checks.k8s.KubernetesChecks.podSpec;
import static dev.spalce.deploy.checks.k8s.KubernetesChecks.selects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spalce.deploy.checks.Design;
import dev.spalce.deploy.checks.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The invariants of an overlay's migrations (overlays/ENV/migrations), rendered beside the overlay's app: one
 * Job per service that runs the service's release in init-and-exit mode against the services' database, the
 * only workloads given the migration role's credential, reaching PostgreSQL and DNS only. The pod-level
 * hardening (security contexts, resources, pinned images) is {@link KubernetesChecks}'s, run on the migrations.
 */
public final class MigrationChecks {

    private static final String SUFFIX = "-migration";
    private static final String DNS = "kube-system/{k8s-app=kube-dns}:53";
    private static final int MAX_BACKOFF = 2;

    private final KubernetesChecks migrations;
    private final KubernetesChecks app;
    /** Both together: a Job's secret comes from the app's ExternalSecrets or the migrations' own. */
    private final KubernetesChecks both;

    public MigrationChecks(List<ObjectNode> migrations, List<ObjectNode> app, String overlay) {
        this.migrations = new KubernetesChecks(migrations, overlay);
        this.app = new KubernetesChecks(app, overlay);
        List<ObjectNode> all = new ArrayList<>(migrations);
        all.addAll(app);
        this.both = new KubernetesChecks(all, overlay);
    }

    private static String service(JsonNode job) {
        return name(job).substring(0, name(job).length() - SUFFIX.length());
    }

    private static JsonNode container(JsonNode job) {
        return podSpec(job).path("containers").path(0);
    }

    private static Optional<JsonNode> env(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
                return Optional.of(env);
            }
        }
        return Optional.empty();
    }

    /**
     * Exactly one Job per service, the only workloads: the service's image as the app runs it, in init-and-exit
     * mode, failing fast (small backoffLimit, a deadline), cleaned up after it finished, under a ServiceAccount
     * of its own that carries no IAM role and mounts no token.
     */
    public List<String> jobs() {
        Violations violations = new Violations();
        Set<String> names = new TreeSet<>();
        migrations.ofKind("Job").forEach(job -> names.add(name(job)));
        Set<String> expected = new TreeSet<>();
        Design.SERVICES.forEach(service -> expected.add(service + SUFFIX));
        violations.require(names.equals(expected), "Jobs must be exactly " + expected + ", found " + names);
        migrations.ofKind("Deployment").forEach(d -> violations.add(id(d) + ": the migrations run Jobs only"));
        for (ObjectNode job : migrations.ofKind("Job")) {
            if (!expected.contains(name(job))) {
                continue;
            }
            String id = id(job);
            JsonNode spec = job.path("spec");
            violations.require(
                    spec.path("backoffLimit").isInt()
                            && spec.path("backoffLimit").asInt() <= MAX_BACKOFF,
                    id + ": backoffLimit must be at most " + MAX_BACKOFF);
            violations.require(
                    spec.path("activeDeadlineSeconds").asLong(0) > 0, id + ": activeDeadlineSeconds must be set");
            violations.require(
                    spec.path("ttlSecondsAfterFinished").asLong(0) > 0, id + ": ttlSecondsAfterFinished must be set");
            violations.require(
                    "Never".equals(podSpec(job).path("restartPolicy").asText()),
                    id + ": restartPolicy must be Never (the Job's backoffLimit counts the retries)");
            violations.require(podSpec(job).path("containers").size() == 1, id + ": one container, the migration");
            Optional<ObjectNode> deployment = app.find("Deployment", service(job));
            String image = container(job).path("image").asText();
            String released = deployment
                    .map(d -> KubernetesChecks.mainContainer(d).path("image").asText())
                    .orElse("");
            violations.require(
                    image.equals(released), id + ": must run the app's image " + released + ", found " + image);
            violations.require(
                    "true"
                            .equals(env(container(job), "QUARKUS_INIT_AND_EXIT")
                                    .map(e -> e.path("value").asText())
                                    .orElse("")),
                    id + ": QUARKUS_INIT_AND_EXIT must be true");
            String account = podSpec(job).path("serviceAccountName").asText("default");
            violations.require(
                    !Design.SERVICES.contains(account) && !account.equals("default"),
                    id + ": must run as the migrations' own ServiceAccount, found " + account);
            violations.require(
                    podSpec(job).path("automountServiceAccountToken").isBoolean()
                            && !podSpec(job)
                                    .path("automountServiceAccountToken")
                                    .asBoolean(),
                    id + ": automountServiceAccountToken must be false");
            Optional<ObjectNode> serviceAccount = migrations.find("ServiceAccount", account);
            violations.require(
                    serviceAccount.isPresent()
                            && !serviceAccount
                                    .get()
                                    .path("automountServiceAccountToken")
                                    .asBoolean(true)
                            && !serviceAccount
                                    .get()
                                    .path("metadata")
                                    .path("annotations")
                                    .has("eks.amazonaws.com/role-arn"),
                    id + ": ServiceAccount " + account
                            + " must be in the migrations, mount no token and have no IAM role");
        }
        return violations.list();
    }

    /**
     * Each Job reaches the services' database: the address from the app's own ConfigMap, TLS verified against
     * the CA bundle mounted read-only, the migration role from spalce/db-admin, and the service's own role's
     * password from the same secret the service reads.
     */
    public List<String> database() {
        Violations violations = new Violations();
        for (ObjectNode job : migrations.ofKind("Job")) {
            String id = id(job);
            JsonNode container = container(job);
            Map<String, String> expected = Map.of(
                    "SPALCE_DB_ADMIN_USER", "Secrets Manager " + Design.DB_ADMIN_SECRET + "#username",
                    "SPALCE_DB_ADMIN_PASSWORD", "Secrets Manager " + Design.DB_ADMIN_SECRET + "#password",
                    "SPALCE_DB_APP_PASSWORD",
                            app.find("Deployment", service(job))
                                    .flatMap(d -> env(KubernetesChecks.mainContainer(d), "SPALCE_DB_APP_PASSWORD"))
                                    .map(app::source)
                                    .orElse("(the service reads none)"));
            expected.forEach((variable, source) -> violations.require(
                    source.equals(env(container, variable).map(both::source).orElse("(none)")),
                    id + ": " + variable + " must come from " + source + ", found "
                            + env(container, variable).map(both::source).orElse("(none)")));
            String appPasswordSecret = env(container, "SPALCE_DB_APP_PASSWORD")
                    .map(e -> e.path("valueFrom")
                            .path("secretKeyRef")
                            .path("name")
                            .asText())
                    .orElse("");
            violations.require(
                    app.externalSecretTargets().containsKey(appPasswordSecret),
                    id + ": SPALCE_DB_APP_PASSWORD must come from the service's own ExternalSecret, found "
                            + appPasswordSecret);
            for (String variable : List.of("SPALCE_DB_HOST", "SPALCE_DB_PORT", "SPALCE_DB_NAME")) {
                JsonNode ref = env(container, variable)
                        .map(e -> e.path("valueFrom").path("configMapKeyRef"))
                        .orElse(container.path("(none)"));
                String value = app.find("ConfigMap", ref.path("name").asText())
                        .map(map ->
                                map.path("data").path(ref.path("key").asText()).asText(null))
                        .orElse(null);
                violations.require(
                        value != null
                                && value.equals(migrations
                                        .find("ConfigMap", ref.path("name").asText())
                                        .map(map -> map.path("data")
                                                .path(ref.path("key").asText())
                                                .asText())
                                        .orElse(null)),
                        id + ": " + variable + " must come from the ConfigMap the services read");
            }
            Design.DB_CA_ENV.forEach((variable, file) -> violations.require(
                    env(container, variable)
                            .map(e -> e.path("value").asText())
                            .orElse("")
                            .equals(file),
                    id + ": " + variable + " must be " + file + " (verify-full, as in the services)"));
            violations.addAll(KubernetesChecks.mountedReadOnly(
                    job,
                    container,
                    Design.DB_CA_DIR,
                    Design.DB_CA_ENV.values(),
                    Set.of("configMap"),
                    "the database's CA bundle"));
        }
        return violations.list();
    }

    /**
     * The migration role's credential reaches the migration Jobs only: one ExternalSecret of the migrations
     * reads spalce/db-admin; in the app, no ExternalSecret reads it and no container has a migration-only variable.
     */
    public List<String> adminCredentialInMigrationsOnly() {
        Violations violations = new Violations();
        long readers = migrations.ofKind("ExternalSecret").stream()
                .filter(MigrationChecks::readsAdminSecret)
                .count();
        violations.require(
                readers == 1,
                "the migrations need one ExternalSecret of " + Design.DB_ADMIN_SECRET + ", found " + readers);
        app.ofKind("ExternalSecret").stream()
                .filter(MigrationChecks::readsAdminSecret)
                .forEach(external -> violations.add(
                        id(external) + ": reads " + Design.DB_ADMIN_SECRET + ", which the migrations alone may"));
        for (ObjectNode deployment : app.ofKind("Deployment")) {
            for (JsonNode container : KubernetesChecks.containers(deployment)) {
                for (JsonNode env : container.path("env")) {
                    String variable = env.path("name").asText();
                    violations.require(
                            !Design.MIGRATION_ONLY_ENV.contains(variable)
                                    && !app.source(env).startsWith("Secrets Manager " + Design.DB_ADMIN_SECRET + "#"),
                            id(deployment) + ": " + variable
                                    + " is the migration role's credential, never a service's");
                }
            }
        }
        return violations.list();
    }

    private static boolean readsAdminSecret(JsonNode external) {
        for (JsonNode data : external.path("spec").path("data")) {
            if (Design.DB_ADMIN_SECRET.equals(data.path("remoteRef").path("key").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The migration pods accept no connection and reach exactly PostgreSQL (the app's database subnets, 5432)
     * and DNS; none of the app's policies selects them (those would open Kafka, the OIDC issuer, Prometheus).
     */
    public List<String> networkPolicy() {
        Violations violations = new Violations();
        Set<String> expected = new TreeSet<>(postgresEgress(app.ofKind("NetworkPolicy")));
        expected.add(DNS);
        for (ObjectNode job : migrations.ofKind("Job")) {
            Map<String, String> labels = podLabels(job);
            List<ObjectNode> own = migrations.ofKind("NetworkPolicy").stream()
                    .filter(p -> selects(p.path("spec").path("podSelector"), labels))
                    .toList();
            Set<String> types = new TreeSet<>();
            own.forEach(p -> p.path("spec").path("policyTypes").forEach(t -> types.add(t.asText())));
            violations.require(
                    types.containsAll(Set.of("Ingress", "Egress")),
                    id(job) + ": a NetworkPolicy must select it for Ingress and Egress, found " + types);
            own.forEach(p -> violations.require(p.path("spec").path("ingress").isEmpty(), id(p) + ": no ingress"));
            Set<String> egress = egress(own);
            violations.require(
                    egress.equals(expected), id(job) + ": egress must be exactly " + expected + ", found " + egress);
            app.ofKind("NetworkPolicy").stream()
                    .filter(p -> !p.path("spec").path("podSelector").isEmpty()
                            && selects(p.path("spec").path("podSelector"), labels))
                    .forEach(p -> violations.add(id(p) + ": an app policy selects " + id(job)));
        }
        return violations.list();
    }

    private static Set<String> postgresEgress(List<ObjectNode> policies) {
        Set<String> postgres = new TreeSet<>(egress(policies));
        postgres.removeIf(flow -> !flow.endsWith(":5432"));
        return postgres;
    }

    /** The egress of the policies as "cidr:port" and "namespace/{pod labels}:port". */
    private static Set<String> egress(List<ObjectNode> policies) {
        Set<String> flows = new TreeSet<>();
        for (ObjectNode policy : policies) {
            for (JsonNode rule : policy.path("spec").path("egress")) {
                List<String> peers = new ArrayList<>();
                rule.path("to")
                        .forEach(peer -> peers.add(
                                peer.has("ipBlock")
                                        ? peer.path("ipBlock").path("cidr").asText()
                                        : peer.path("namespaceSelector")
                                                        .path("matchLabels")
                                                        .path("kubernetes.io/metadata.name")
                                                        .asText("(any namespace)")
                                                + "/"
                                                + KubernetesChecks.labels(
                                                        peer.path("podSelector").path("matchLabels"))));
                if (peers.isEmpty()) {
                    peers.add("(anywhere)");
                }
                List<String> ports = new ArrayList<>();
                rule.path("ports").forEach(port -> ports.add(port.path("port").asText()));
                if (ports.isEmpty()) {
                    ports.add("(every port)");
                }
                peers.forEach(to -> ports.forEach(port -> flows.add(to + ":" + port)));
            }
        }
        return flows;
    }
}
