package dev.spalce.deploy.checks.k8s;

import static dev.spalce.deploy.checks.k8s.KubernetesChecks.containers;
import static dev.spalce.deploy.checks.k8s.KubernetesChecks.id;
import static dev.spalce.deploy.checks.k8s.KubernetesChecks.labels;
import static dev.spalce.deploy.checks.k8s.KubernetesChecks.name;
import static dev.spalce.deploy.checks.k8s.KubernetesChecks.podSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spalce.deploy.checks.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The install order of an overlay ({@code deploy/k8s/install.sh}): the objects labelled
 * {@code spalce.dev/install-step=prerequisites} are applied and waited for before the migrations, and the migrations
 * before the rest. That order is safe only if the label sits on exactly the objects the Jobs and pods need first (the
 * namespace, the secret store, the issuers, the certificates, the ExternalSecrets) and on no workload, and if every
 * Secret a pod or a Job reads is written by one of them.
 */
public final class InstallOrderChecks {

    public static final String LABEL = "spalce.dev/install-step";
    public static final String PREREQUISITES = "prerequisites";

    /** The kinds applied first: what writes the Secrets the pods read, and what those need. */
    static final Set<String> PREREQUISITE_KINDS =
            Set.of("Namespace", "ClusterSecretStore", "ClusterIssuer", "Issuer", "Certificate", "ExternalSecret");

    private final List<ObjectNode> app;
    private final List<ObjectNode> migrations;

    public InstallOrderChecks(List<ObjectNode> app, List<ObjectNode> migrations) {
        this.app = app;
        this.migrations = migrations;
    }

    private static boolean prerequisite(JsonNode document) {
        return PREREQUISITES.equals(
                labels(document.path("metadata").path("labels")).get(LABEL));
    }

    private static String kind(JsonNode document) {
        return document.path("kind").asText();
    }

    /** Every object of a prerequisite kind is labelled, and nothing else is (a workload would start too early). */
    public List<String> prerequisitesLabelled() {
        Violations violations = new Violations();
        for (ObjectNode document : app) {
            boolean expected = PREREQUISITE_KINDS.contains(kind(document));
            violations.require(
                    prerequisite(document) == expected,
                    id(document)
                            + (expected
                                    ? ": must be labelled " + LABEL + "=" + PREREQUISITES
                                            + " (applied and waited for first)"
                                    : ": must not be labelled " + LABEL + "=" + PREREQUISITES
                                            + " (only what the pods need before they start)"));
        }
        for (ObjectNode document : migrations) {
            // The migrations are step 3 as a whole (run-migrations.sh waits for their own ExternalSecret).
            violations.require(
                    !prerequisite(document), id(document) + ": the migrations are not part of the prerequisites");
        }
        return violations.list();
    }

    /**
     * Every Secret a Deployment or a migration Job reads (volumes, env, envFrom) is written by a prerequisite
     * (a Certificate's secretName, an ExternalSecret's target) or, for a Job, by the migrations' own ExternalSecret.
     */
    public List<String> secretsComeFromPrerequisites() {
        Set<String> early = written(app, true);
        Set<String> withMigrations = new TreeSet<>(early);
        withMigrations.addAll(written(migrations, false));
        Violations violations = new Violations();
        for (ObjectNode deployment : ofKind(app, "Deployment")) {
            for (String secret : secretsRead(deployment)) {
                violations.require(
                        early.contains(secret),
                        id(deployment) + ": reads the Secret " + secret
                                + ", which no prerequisite (Certificate, ExternalSecret) writes");
            }
        }
        for (ObjectNode job : ofKind(migrations, "Job")) {
            for (String secret : secretsRead(job)) {
                violations.require(
                        withMigrations.contains(secret),
                        id(job) + ": reads the Secret " + secret
                                + ", which neither a prerequisite nor the migrations' ExternalSecret writes");
            }
        }
        return violations.list();
    }

    /**
     * The script applies the prerequisites by their label, waits for each prerequisite kind until Ready, runs the
     * migrations, and only then applies the whole overlay.
     */
    public static List<String> script(String text) {
        Violations violations = new Violations();
        int prerequisites = text.indexOf("kubectl apply -k \"overlays/$overlay\" -l \"$prerequisites\"");
        int migrations = text.indexOf("./run-migrations.sh \"$overlay\"");
        int everything = text.indexOf("kubectl apply -k \"overlays/$overlay\"\n");
        violations.require(prerequisites >= 0, "install.sh must apply the prerequisites by their label first");
        violations.require(
                text.contains("prerequisites=" + LABEL + "=" + PREREQUISITES),
                "install.sh must select the prerequisites by " + LABEL + "=" + PREREQUISITES);
        for (String kind : List.of("clustersecretstore", "clusterissuer", "issuer", "certificate", "externalsecret")) {
            int wait = text.indexOf("wait --for=condition=Ready " + kind + " ");
            violations.require(
                    wait > prerequisites && (migrations < 0 || wait < migrations),
                    "install.sh must wait for every " + kind + " to be Ready between the prerequisites and the"
                            + " migrations");
        }
        violations.require(migrations > prerequisites, "install.sh must run the migrations after the prerequisites");
        violations.require(
                everything > migrations, "install.sh must apply the whole overlay only after the migrations");
        return violations.list();
    }

    private static List<ObjectNode> ofKind(List<ObjectNode> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(kind(d))).toList();
    }

    /** The Secrets written by the Certificates and ExternalSecrets of {@code documents} (labelled ones only if asked). */
    private static Set<String> written(List<ObjectNode> documents, boolean labelledOnly) {
        Set<String> secrets = new TreeSet<>();
        for (ObjectNode document : documents) {
            if (labelledOnly && !prerequisite(document)) {
                continue;
            }
            switch (kind(document)) {
                case "Certificate" ->
                    secrets.add(document.path("spec").path("secretName").asText());
                case "ExternalSecret" -> {
                    String target =
                            document.path("spec").path("target").path("name").asText("");
                    secrets.add(target.isEmpty() ? name(document) : target);
                }
                default -> {
                    // writes no Secret
                }
            }
        }
        return secrets;
    }

    private static List<String> secretsRead(JsonNode workload) {
        List<String> secrets = new ArrayList<>();
        JsonNode pod = podSpec(workload);
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("secret")) {
                secrets.add(volume.path("secret").path("secretName").asText());
            }
        }
        for (JsonNode container : containers(workload)) {
            for (JsonNode env : container.path("env")) {
                JsonNode reference = env.path("valueFrom").path("secretKeyRef");
                if (!reference.isMissingNode()) {
                    secrets.add(reference.path("name").asText());
                }
            }
            for (JsonNode from : container.path("envFrom")) {
                if (from.has("secretRef")) {
                    secrets.add(from.path("secretRef").path("name").asText());
                }
            }
        }
        return secrets;
    }
}
