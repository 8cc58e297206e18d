package dev.spalce.deploy.checks.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spalce.deploy.checks.Design;
import dev.spalce.deploy.checks.Violations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Spalce's own invariants of a rendered Kubernetes overlay: the design's workloads, ports, probes on the
 * management port, the restricted security context its images are built for, one ServiceAccount and role per
 * service, availability, the one way in, the network flows, secrets from Secrets Manager only and each
 * service's configuration. Each method returns the violations it finds, one line each, naming the resource.
 *
 * <p>Generic hygiene is Checkov's, run by the pipeline over the same rendered overlays with its built-in
 * policies: CPU and memory requests and limits (CKV_K8S_10 to CKV_K8S_13) and an image tag that is neither
 * latest nor blank (CKV_K8S_14), on Deployments and Jobs alike, are no longer checked here.
 */
public final class KubernetesChecks {

    public static final String NAMESPACE = "spalce";
    public static final String INGRESS_NAMESPACE = "ingress-nginx";
    public static final String MONITORING_NAMESPACE = "monitoring";

    static final Set<String> WORKLOAD_KINDS = Set.of(
            "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "ReplicationController");
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$");
    private static final Set<String> PRIVATE_RANGES =
            Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");

    private final List<ObjectNode> documents;
    private final String overlay;

    public KubernetesChecks(List<ObjectNode> documents, String overlay) {
        this.documents = documents;
        this.overlay = overlay;
    }

    // ---- access ----------------------------------------------------------------------------------------------

    public List<ObjectNode> ofKind(String kind) {
        return documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText()))
                .toList();
    }

    public Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(name(d))).findFirst();
    }

    static String name(JsonNode document) {
        return document.path("metadata").path("name").asText();
    }

    static String id(JsonNode document) {
        return document.path("kind").asText() + "/" + name(document);
    }

    private List<ObjectNode> deployments() {
        return ofKind("Deployment");
    }

    /** The Deployments and Jobs (the migrations): what runs pods, and must run them the same hardened way. */
    private List<ObjectNode> workloads() {
        List<ObjectNode> workloads = new ArrayList<>(deployments());
        workloads.addAll(ofKind("Job"));
        return workloads;
    }

    static JsonNode podSpec(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    static List<JsonNode> containers(JsonNode deployment) {
        List<JsonNode> all = new ArrayList<>();
        podSpec(deployment).path("initContainers").forEach(all::add);
        podSpec(deployment).path("containers").forEach(all::add);
        return all;
    }

    static JsonNode mainContainer(JsonNode deployment) {
        for (JsonNode container : podSpec(deployment).path("containers")) {
            if (name(deployment).equals(container.path("name").asText())) {
                return container;
            }
        }
        return podSpec(deployment).path("containers").path(0);
    }

    static Map<String, String> podLabels(JsonNode deployment) {
        return labels(deployment.path("spec").path("template").path("metadata").path("labels"));
    }

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new TreeMap<>();
        node.properties()
                .forEach(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        return labels;
    }

    /** Whether a label selector ({@code matchLabels}, {@code matchExpressions}) selects these labels. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        for (Map.Entry<String, String> wanted :
                labels(selector.path("matchLabels")).entrySet()) {
            if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            Set<String> values = new HashSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> values.contains(labels.get(key));
                case "NotIn" -> !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private List<String> selectedWorkloads(JsonNode selector) {
        return deployments().stream()
                .filter(d -> selects(selector, podLabels(d)))
                .map(KubernetesChecks::name)
                .toList();
    }

    // ---- workloads -----------------------------------------------------------------------------------------

    /** The workloads are exactly the five services, as Deployments, in the spalce namespace (PSA restricted). */
    public List<String> workloadsAreTheServices() {
        Violations violations = new Violations();
        Set<String> names = new TreeSet<>();
        deployments().forEach(d -> names.add(name(d)));
        violations.require(
                names.equals(new TreeSet<>(Design.SERVICES)),
                "Deployments must be exactly " + Design.SERVICES + ", found " + names);
        for (ObjectNode document : documents) {
            String kind = document.path("kind").asText();
            violations.require(
                    kind.equals("Deployment") || !WORKLOAD_KINDS.contains(kind),
                    id(document) + ": unexpected workload kind");
            boolean clusterScoped = Set.of(
                            "Namespace", "ClusterSecretStore", "ClusterIssuer", "ClusterRole", "ClusterRoleBinding")
                    .contains(kind);
            if (!clusterScoped) {
                violations.require(
                        NAMESPACE.equals(
                                document.path("metadata").path("namespace").asText()),
                        id(document) + ": must be in namespace " + NAMESPACE);
            }
        }
        Optional<ObjectNode> namespace = find("Namespace", NAMESPACE);
        violations.require(
                namespace
                        .map(n -> n.path("metadata")
                                .path("labels")
                                .path("pod-security.kubernetes.io/enforce")
                                .asText())
                        .orElse("")
                        .equals("restricted"),
                "Namespace " + NAMESPACE + " must enforce the restricted Pod Security Standard");
        return violations.list();
    }

    /**
     * Readiness on /q/health/ready and liveness on /q/health/live, both on the management port 9000, over HTTPS (the
     * management port serves TLS only, with the pod's internal certificate); the startup probe likewise; Prometheus
     * told to scrape over HTTPS.
     */
    public List<String> probesOnManagementPort() {
        Violations violations = new Violations();
        for (ObjectNode deployment : deployments()) {
            JsonNode container = mainContainer(deployment);
            Map<String, String> expected =
                    Map.of("readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live");
            for (Map.Entry<String, String> probe : expected.entrySet()) {
                JsonNode http = container.path(probe.getKey()).path("httpGet");
                violations.require(
                        probe.getValue().equals(http.path("path").asText()),
                        id(deployment) + ": " + probe.getKey() + " must GET " + probe.getValue() + ", found "
                                + http.path("path").asText("(none)"));
                violations.require(
                        resolvePort(container, http.path("port")) == Design.MANAGEMENT_PORT,
                        id(deployment) + ": " + probe.getKey() + " must use port " + Design.MANAGEMENT_PORT + ", found "
                                + http.path("port").asText("(none)"));
                violations.require(
                        "HTTPS".equals(http.path("scheme").asText()),
                        id(deployment) + ": " + probe.getKey() + " must use scheme HTTPS (the management port "
                                + "serves TLS only)");
            }
            JsonNode startup = container.path("startupProbe").path("httpGet");
            if (!startup.isMissingNode()) {
                violations.require(
                        resolvePort(container, startup.path("port")) == Design.MANAGEMENT_PORT,
                        id(deployment) + ": startupProbe must use port " + Design.MANAGEMENT_PORT);
                violations.require(
                        "HTTPS".equals(startup.path("scheme").asText()),
                        id(deployment) + ": startupProbe must use scheme HTTPS (the management port serves TLS only)");
            }
            JsonNode annotations =
                    deployment.path("spec").path("template").path("metadata").path("annotations");
            violations.require(
                    "https".equals(annotations.path("prometheus.io/scheme").asText()),
                    id(deployment) + ": prometheus.io/scheme must be https (the management port serves TLS only)");
        }
        return violations.list();
    }

    private static int resolvePort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (port.asText().equals(declared.path("name").asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        return -1;
    }

    /**
     * Every workload (Deployments, the migration Jobs): non-root, read-only root filesystem, no privilege
     * escalation, no capabilities, RuntimeDefault seccomp.
     */
    public List<String> securityContexts() {
        Violations violations = new Violations();
        for (ObjectNode deployment : workloads()) {
            String id = id(deployment);
            JsonNode spec = podSpec(deployment);
            JsonNode pod = spec.path("securityContext");
            violations.require(pod.path("runAsNonRoot").asBoolean(false), id + ": pod runAsNonRoot must be true");
            violations.require(pod.path("runAsUser").asLong(0) > 0, id + ": pod runAsUser must be a non-zero uid");
            violations.require(
                    !spec.path("hostNetwork").asBoolean(false)
                            && !spec.path("hostPID").asBoolean(false)
                            && !spec.path("hostIPC").asBoolean(false),
                    id + ": no host namespaces");
            for (JsonNode volume : spec.path("volumes")) {
                violations.require(
                        !volume.has("hostPath"),
                        id + ": hostPath volume " + volume.path("name").asText());
            }
            String podSeccomp = pod.path("seccompProfile").path("type").asText();
            for (JsonNode container : containers(deployment)) {
                String where = id + "/" + container.path("name").asText();
                JsonNode context = container.path("securityContext");
                violations.require(
                        context.path("allowPrivilegeEscalation").isBoolean()
                                && !context.path("allowPrivilegeEscalation").asBoolean(),
                        where + ": allowPrivilegeEscalation must be false");
                violations.require(
                        context.path("readOnlyRootFilesystem").asBoolean(false),
                        where + ": readOnlyRootFilesystem must be true");
                violations.require(!context.path("privileged").asBoolean(false), where + ": privileged");
                violations.require(
                        !context.path("runAsNonRoot").isBoolean()
                                || context.path("runAsNonRoot").asBoolean(),
                        where + ": runAsNonRoot false");
                violations.require(
                        !context.has("runAsUser") || context.path("runAsUser").asLong() > 0, where + ": runAsUser 0");
                Set<String> dropped = new HashSet<>();
                context.path("capabilities").path("drop").forEach(c -> dropped.add(c.asText()));
                violations.require(dropped.contains("ALL"), where + ": capabilities.drop must include ALL");
                violations.require(
                        context.path("capabilities").path("add").isEmpty(), where + ": capabilities.add must be empty");
                String seccomp = context.path("seccompProfile").path("type").asText(podSeccomp);
                violations.require("RuntimeDefault".equals(seccomp), where + ": seccompProfile must be RuntimeDefault");
                boolean tmp = false;
                for (JsonNode mount : container.path("volumeMounts")) {
                    if ("/tmp".equals(mount.path("mountPath").asText())) {
                        String volume = mount.path("name").asText();
                        for (JsonNode declared : spec.path("volumes")) {
                            tmp |= volume.equals(declared.path("name").asText()) && declared.has("emptyDir");
                        }
                    }
                }
                violations.require(tmp, where + ": /tmp must be an emptyDir (the root filesystem is read-only)");
            }
        }
        return violations.list();
    }

    /** A dedicated ServiceAccount per service, no API token mounted, an AWS role only where the design needs one. */
    public List<String> serviceAccounts() {
        Violations violations = new Violations();
        Map<String, Integer> users = new HashMap<>();
        for (ObjectNode deployment : deployments()) {
            String id = id(deployment);
            String account = podSpec(deployment).path("serviceAccountName").asText("default");
            users.merge(account, 1, Integer::sum);
            violations.require(
                    account.equals(name(deployment)),
                    id + ": must run as its own ServiceAccount " + name(deployment) + ", found " + account);
            violations.require(
                    podSpec(deployment).path("automountServiceAccountToken").isBoolean()
                            && !podSpec(deployment)
                                    .path("automountServiceAccountToken")
                                    .asBoolean(),
                    id + ": automountServiceAccountToken must be false (no service calls the Kubernetes API)");
            Optional<ObjectNode> serviceAccount = find("ServiceAccount", account);
            if (serviceAccount.isEmpty()) {
                violations.add(id + ": ServiceAccount " + account + " is not in the overlay");
                continue;
            }
            violations.require(
                    serviceAccount.get().path("automountServiceAccountToken").isBoolean()
                            && !serviceAccount
                                    .get()
                                    .path("automountServiceAccountToken")
                                    .asBoolean(),
                    id(serviceAccount.get()) + ": automountServiceAccountToken must be false");
            String role = serviceAccount
                    .get()
                    .path("metadata")
                    .path("annotations")
                    .path("eks.amazonaws.com/role-arn")
                    .asText("");
            if (Design.AWS_ROLE.contains(name(deployment))) {
                violations.require(
                        ROLE_ARN.matcher(role).matches(),
                        id(serviceAccount.get()) + ": needs an IAM role (eks.amazonaws.com/role-arn), found '" + role
                                + "'");
                violations.require(
                        role.contains("-" + name(deployment)),
                        id(serviceAccount.get()) + ": the role should be the service's own, found " + role);
            } else {
                violations.require(
                        role.isEmpty(),
                        id(serviceAccount.get()) + ": calls no AWS API and must have no IAM role, found " + role);
            }
        }
        users.forEach((account, count) ->
                violations.require(count == 1, "ServiceAccount " + account + " is shared by " + count + " workloads"));
        return violations.list();
    }

    /** A PodDisruptionBudget per service that lets a node drain (never every pod required). */
    public List<String> disruptionBudgets() {
        Violations violations = new Violations();
        for (ObjectNode deployment : deployments()) {
            List<ObjectNode> budgets = ofKind("PodDisruptionBudget").stream()
                    .filter(pdb -> selects(pdb.path("spec").path("selector"), podLabels(deployment)))
                    .toList();
            violations.require(
                    budgets.size() == 1,
                    id(deployment) + ": needs exactly one PodDisruptionBudget," + " found " + budgets.size());
            for (ObjectNode pdb : budgets) {
                JsonNode spec = pdb.path("spec");
                violations.require(
                        spec.has("maxUnavailable") || spec.has("minAvailable"),
                        id(pdb) + ": maxUnavailable or minAvailable");
                if (spec.path("minAvailable").isInt()) {
                    violations.require(
                            spec.path("minAvailable").asInt() < minReplicas(deployment),
                            id(pdb) + ": minAvailable blocks every eviction");
                }
                if (spec.path("maxUnavailable").isInt()) {
                    violations.require(spec.path("maxUnavailable").asInt() >= 1, id(pdb) + ": maxUnavailable 0");
                }
            }
        }
        return violations.list();
    }

    /** The least number of replicas a workload runs with: its autoscaler's minimum, else its replicas. */
    public int minReplicas(JsonNode deployment) {
        for (ObjectNode hpa : ofKind("HorizontalPodAutoscaler")) {
            if (name(deployment)
                    .equals(hpa.path("spec").path("scaleTargetRef").path("name").asText())) {
                return hpa.path("spec").path("minReplicas").asInt(1);
            }
        }
        for (ObjectNode scaled : ofKind("ScaledObject")) {
            if (name(deployment)
                    .equals(scaled.path("spec")
                            .path("scaleTargetRef")
                            .path("name")
                            .asText())) {
                return scaled.path("spec").path("minReplicaCount").asInt(0);
            }
        }
        return deployment.path("spec").path("replicas").asInt(1);
    }

    /** dev: one replica of everything; prod: at least two. */
    public List<String> replicas() {
        Violations violations = new Violations();
        for (ObjectNode deployment : deployments()) {
            int min = minReplicas(deployment);
            if (overlay.equals("prod")) {
                violations.require(min >= 2, id(deployment) + ": prod runs at least two replicas, found " + min);
            } else if (overlay.equals("dev")) {
                violations.require(min == 1, id(deployment) + ": dev runs one replica, found " + min);
            }
        }
        return violations.list();
    }

    /** The gateway scales on CPU (HPA); rewrap-worker on its Kafka consumer lag (KEDA); no one else. */
    public List<String> autoscaling() {
        Violations violations = new Violations();
        List<ObjectNode> hpas = ofKind("HorizontalPodAutoscaler");
        violations.require(
                hpas.size() == 1, "exactly one HorizontalPodAutoscaler (the gateway's), found " + hpas.size());
        for (ObjectNode hpa : hpas) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            violations.require(
                    target.path("kind").asText().equals("Deployment")
                            && target.path("name").asText().equals(Design.GATEWAY),
                    id(hpa) + ": must scale auth-gateway");
            boolean cpu = false;
            for (JsonNode metric : hpa.path("spec").path("metrics")) {
                cpu |= metric.path("type").asText().equals("Resource")
                        && metric.path("resource").path("name").asText().equals("cpu");
            }
            violations.require(cpu, id(hpa) + ": must scale on CPU");
        }
        List<ObjectNode> scaled = ofKind("ScaledObject");
        violations.require(
                scaled.size() == 1, "exactly one KEDA ScaledObject (rewrap-worker's), found " + scaled.size());
        String bootstrap = ofKind("ConfigMap").stream()
                .map(cm -> cm.path("data").path("SPALCE_KAFKA_BOOTSTRAP"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .findFirst()
                .orElse("(none)");
        for (ObjectNode object : scaled) {
            violations.require(
                    object.path("spec")
                            .path("scaleTargetRef")
                            .path("name")
                            .asText()
                            .equals(Design.REWRAP),
                    id(object) + ": must scale rewrap-worker");
            JsonNode triggers = object.path("spec").path("triggers");
            violations.require(triggers.size() == 1, id(object) + ": one trigger, the Kafka lag");
            JsonNode trigger = triggers.path(0);
            JsonNode metadata = trigger.path("metadata");
            violations.require(trigger.path("type").asText().equals("kafka"), id(object) + ": trigger type kafka");
            violations.require(
                    metadata.path("topic").asText().equals(Design.KEYS_TOPIC),
                    id(object) + ": topic " + Design.KEYS_TOPIC);
            violations.require(
                    metadata.path("consumerGroup").asText().equals(Design.REWRAP_GROUP),
                    id(object) + ": consumerGroup " + Design.REWRAP_GROUP);
            violations.require(metadata.path("tls").asText().equals("enable"), id(object) + ": MSK takes TLS only");
            violations.require(
                    !metadata.path("unsafeSsl").asText("false").equals("true"),
                    id(object) + ": the brokers' certificate must be verified");
            violations.require(
                    metadata.path("bootstrapServers").asText().equals(bootstrap),
                    id(object) + ": must read the lag from the services' brokers " + bootstrap + ", found "
                            + metadata.path("bootstrapServers").asText());
        }
        for (String autoscaled : List.of(Design.GATEWAY, Design.REWRAP)) {
            find("Deployment", autoscaled)
                    .ifPresent(d -> violations.require(
                            !d.path("spec").has("replicas"),
                            id(d) + ": an autoscaled Deployment must not set replicas (each apply would reset them)"));
        }
        return violations.list();
    }

    // ---- traffic -------------------------------------------------------------------------------------------

    /** A ClusterIP Service per workload, on its API port only. */
    public List<String> services() {
        Violations violations = new Violations();
        for (ObjectNode deployment : deployments()) {
            String service = name(deployment);
            JsonNode container = mainContainer(deployment);
            int apiPort = Design.API_PORT.get(service);
            Set<Integer> declared = new TreeSet<>();
            container
                    .path("ports")
                    .forEach(p -> declared.add(p.path("containerPort").asInt()));
            violations.require(
                    declared.equals(Set.of(apiPort, Design.MANAGEMENT_PORT)),
                    id(deployment) + ": container ports must be " + apiPort + " and " + Design.MANAGEMENT_PORT
                            + ", found " + declared);
            List<ObjectNode> matching = ofKind("Service").stream()
                    .filter(s -> !s.path("spec").path("selector").isEmpty()
                            && selects(wrapMatchLabels(s.path("spec").path("selector")), podLabels(deployment)))
                    .toList();
            violations.require(
                    matching.size() == 1, id(deployment) + ": needs exactly one Service, found " + matching.size());
            for (ObjectNode svc : matching) {
                violations.require(name(svc).equals(service), id(svc) + ": named after its workload");
                violations.require(
                        svc.path("spec").path("type").asText("ClusterIP").equals("ClusterIP"),
                        id(svc) + ": type must be ClusterIP (the ingress is the only way in)");
                JsonNode ports = svc.path("spec").path("ports");
                violations.require(
                        ports.size() == 1
                                && resolvePort(container, ports.path(0).path("targetPort")) == apiPort
                                && ports.path(0).path("port").asInt() == apiPort,
                        id(svc) + ": exposes the API port " + apiPort + " only");
            }
        }
        return violations.list();
    }

    private static JsonNode wrapMatchLabels(JsonNode selector) {
        ObjectNode wrapper = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        wrapper.set("matchLabels", selector);
        return wrapper;
    }

    /** One Ingress, to the gateway's HTTPS port, with TLS from cert-manager's ACME ClusterIssuer. */
    public List<String> ingress() {
        Violations violations = new Violations();
        List<ObjectNode> ingresses = ofKind("Ingress");
        violations.require(ingresses.size() == 1, "exactly one Ingress, found " + ingresses.size());
        Set<String> produced = externalSecretTargets().keySet();
        for (ObjectNode ingress : ingresses) {
            JsonNode spec = ingress.path("spec");
            violations.require(!spec.has("defaultBackend"), id(ingress) + ": no default backend");
            Set<String> tlsHosts = new HashSet<>();
            // The public certificate is cert-manager's (ACME ClusterIssuer named on the Ingress), which writes the
            // Secret itself; an ExternalSecret writing the same Secret would fight it on every refresh.
            String issuer = ingress.path("metadata")
                    .path("annotations")
                    .path("cert-manager.io/cluster-issuer")
                    .asText("");
            boolean acmeIssuer = find("ClusterIssuer", issuer)
                    .map(i -> i.path("spec").has("acme"))
                    .orElse(false);
            for (JsonNode tls : spec.path("tls")) {
                tls.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
                String secret = tls.path("secretName").asText();
                violations.require(
                        acmeIssuer && !produced.contains(secret),
                        id(ingress) + ": TLS secret " + secret + " must be issued by cert-manager's ACME ClusterIssuer"
                                + " (cert-manager.io/cluster-issuer) and written by no ExternalSecret");
            }
            violations.require(!tlsHosts.isEmpty(), id(ingress) + ": TLS is required");
            for (JsonNode rule : spec.path("rules")) {
                violations.require(
                        tlsHosts.contains(rule.path("host").asText()),
                        id(ingress) + ": host " + rule.path("host").asText() + " is not covered by TLS");
                for (JsonNode path : rule.path("http").path("paths")) {
                    JsonNode backend = path.path("backend").path("service");
                    violations.require(
                            backend.path("name").asText().equals(Design.GATEWAY),
                            id(ingress) + ": routes only to auth-gateway, found "
                                    + backend.path("name").asText());
                    String port = backend.path("port")
                            .path("name")
                            .asText(backend.path("port").path("number").asText());
                    violations.require(
                            port.equals("https") || port.equals("8443"), id(ingress) + ": to the gateway's HTTPS port");
                }
            }
            violations.require(
                    "HTTPS"
                            .equals(ingress.path("metadata")
                                    .path("annotations")
                                    .path("nginx.ingress.kubernetes.io/backend-protocol")
                                    .asText()),
                    id(ingress) + ": the controller must speak HTTPS to the gateway");
            JsonNode annotations = ingress.path("metadata").path("annotations");
            long bodyLimit = nginxSize(annotations
                    .path("nginx.ingress.kubernetes.io/proxy-body-size")
                    .asText(""));
            violations.require(
                    bodyLimit >= Design.GATEWAY_MAX_BODY_BYTES,
                    id(ingress)
                            + ": proxy-body-size must be set and at least the gateway's limit ("
                            + Design.GATEWAY_MAX_BODY_BYTES
                            + " bytes; ingress-nginx caps bodies at 1m by default), found "
                            + annotations
                                    .path("nginx.ingress.kubernetes.io/proxy-body-size")
                                    .asText("none"));
            violations.require(
                    "off"
                            .equals(annotations
                                    .path("nginx.ingress.kubernetes.io/proxy-request-buffering")
                                    .asText()),
                    id(ingress) + ": proxy-request-buffering must be off (uploads stream to the gateway,"
                            + " not spooled to the controller's disk first)");
            for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
                String value = annotations
                        .path("nginx.ingress.kubernetes.io/" + timeout)
                        .asText("");
                violations.require(
                        value.matches("[0-9]{1,6}") && Integer.parseInt(value) >= Design.MIN_IDLE_TIMEOUT_SECONDS,
                        id(ingress) + ": " + timeout + " must be at least " + Design.MIN_IDLE_TIMEOUT_SECONDS
                                + " seconds (long uploads and downloads), found " + (value.isEmpty() ? "none" : value));
            }
        }
        return violations.list();
    }

    /** An nginx size ("2049m", "2g", "1024k", bytes), in bytes; -1 when it is missing or not a size; 0 (no limit) too. */
    public static long nginxSize(String value) {
        java.util.regex.Matcher m = Pattern.compile("([0-9]{1,12})([kKmMgG]?)").matcher(value.trim());
        if (!m.matches()) {
            return -1;
        }
        long number = Long.parseLong(m.group(1));
        if (number == 0) {
            return -1;
        }
        return switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> number * 1024;
            case "m" -> number * 1024 * 1024;
            case "g" -> number * 1024 * 1024 * 1024;
            default -> number;
        };
    }

    /**
     * NetworkPolicies: a default deny of all ingress and egress; every workload selected by a policy of its
     * own; and the flows they allow are exactly the design's: service to service on 8080, the ingress
     * controller to the gateway on 8443, Prometheus to 9000, DNS, PostgreSQL, Kafka, the OIDC issuer, the AWS
     * endpoints for crypto-service and evidence-service, and HTTPS to the internet for crypto-service alone.
     */
    public List<String> networkPolicies() {
        Violations violations = new Violations();
        List<ObjectNode> policies = ofKind("NetworkPolicy");
        boolean defaultDeny = policies.stream().anyMatch(p -> {
            JsonNode spec = p.path("spec");
            Set<String> types = new HashSet<>();
            spec.path("policyTypes").forEach(t -> types.add(t.asText()));
            return spec.path("podSelector").isObject()
                    && spec.path("podSelector").isEmpty()
                    && types.equals(Set.of("Ingress", "Egress"))
                    && spec.path("ingress").isEmpty()
                    && spec.path("egress").isEmpty();
        });
        violations.require(defaultDeny, "no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)");
        for (ObjectNode deployment : deployments()) {
            long own = policies.stream()
                    .filter(p -> !p.path("spec").path("podSelector").isEmpty()
                            && selects(p.path("spec").path("podSelector"), podLabels(deployment))
                            && selects(
                                    p.path("spec").path("podSelector"),
                                    Map.of("app.kubernetes.io/name", name(deployment))))
                    .count();
            violations.require(own >= 1, id(deployment) + ": no NetworkPolicy selects it by name");
        }
        Set<String> podFlowsIn = new TreeSet<>();
        Set<String> podFlowsOut = new TreeSet<>();
        Set<String> namespaceIn = new TreeSet<>();
        Set<String> namespaceOut = new TreeSet<>();
        Map<String, Set<String>> blocksOut = new TreeMap<>();
        for (ObjectNode policy : policies) {
            JsonNode spec = policy.path("spec");
            List<String> selected = spec.path("podSelector").isEmpty()
                    ? deployments().stream().map(KubernetesChecks::name).toList()
                    : selectedWorkloads(spec.path("podSelector"));
            boolean hasRules =
                    !spec.path("ingress").isEmpty() || !spec.path("egress").isEmpty();
            violations.require(!hasRules || !selected.isEmpty(), id(policy) + ": selects no workload");
            for (String direction : List.of("ingress", "egress")) {
                boolean in = direction.equals("ingress");
                Set<String> types = new HashSet<>();
                spec.path("policyTypes").forEach(t -> types.add(t.asText()));
                violations.require(
                        spec.path(direction).isEmpty() || types.contains(in ? "Ingress" : "Egress"),
                        id(policy) + ": has " + direction + " rules but not that policy type");
                for (JsonNode rule : spec.path(direction)) {
                    JsonNode peers = rule.path(in ? "from" : "to");
                    violations.require(!peers.isEmpty(), id(policy) + ": a rule without peers allows everyone");
                    violations.require(
                            !rule.path("ports").isEmpty(), id(policy) + ": a rule without ports allows every port");
                    List<Integer> ports = new ArrayList<>();
                    for (JsonNode port : rule.path("ports")) {
                        violations.require(
                                port.path("port").isInt() && !port.has("endPort"),
                                id(policy) + ": ports must be single numbers");
                        ports.add(port.path("port").asInt());
                    }
                    for (JsonNode peer : peers) {
                        for (String pod : selected) {
                            for (int port : ports) {
                                if (peer.has("ipBlock")) {
                                    violations.require(!in, id(policy) + ": no ingress from address blocks");
                                    String cidr =
                                            peer.path("ipBlock").path("cidr").asText();
                                    Set<String> except = new TreeSet<>();
                                    peer.path("ipBlock").path("except").forEach(e -> except.add(e.asText()));
                                    if (cidr.equals("0.0.0.0/0")) {
                                        violations.require(
                                                except.containsAll(PRIVATE_RANGES),
                                                id(policy)
                                                        + ": internet egress must exclude private and link-local ranges");
                                    }
                                    blocksOut
                                            .computeIfAbsent(pod, p -> new TreeSet<>())
                                            .add(cidr + ":" + port);
                                } else if (peer.has("namespaceSelector")) {
                                    String namespace = peer.path("namespaceSelector")
                                            .path("matchLabels")
                                            .path("kubernetes.io/metadata.name")
                                            .asText("(any namespace)");
                                    String who = namespace
                                            + (peer.has("podSelector")
                                                    ? "/"
                                                            + labels(peer.path("podSelector")
                                                                    .path("matchLabels"))
                                                    : "");
                                    (in ? namespaceIn : namespaceOut)
                                            .add(in ? who + "->" + pod + ":" + port : pod + "->" + who + ":" + port);
                                } else if (peer.has("podSelector")) {
                                    for (String other : selectedWorkloads(peer.path("podSelector"))) {
                                        (in ? podFlowsIn : podFlowsOut)
                                                .add(
                                                        in
                                                                ? other + "->" + pod + ":" + port
                                                                : pod + "->" + other + ":" + port);
                                    }
                                    violations.require(
                                            !peer.path("podSelector").isEmpty(),
                                            id(policy) + ": a peer podSelector {} means every pod");
                                } else {
                                    violations.add(id(policy) + ": unknown peer " + peer);
                                }
                            }
                        }
                    }
                }
            }
        }
        Set<String> expectedPods = new TreeSet<>();
        Design.CALLS.forEach((from, targets) -> targets.forEach(to -> expectedPods.add(from + "->" + to + ":8080")));
        violations.require(
                podFlowsIn.equals(expectedPods),
                "service-to-service ingress must be exactly " + expectedPods + ", found " + podFlowsIn);
        violations.require(
                podFlowsOut.equals(expectedPods),
                "service-to-service egress must be exactly " + expectedPods + ", found " + podFlowsOut);
        Set<String> expectedNamespaceIn = new TreeSet<>();
        expectedNamespaceIn.add(INGRESS_NAMESPACE + "->" + Design.GATEWAY + ":8443");
        Design.SERVICES.forEach(
                s -> expectedNamespaceIn.add(MONITORING_NAMESPACE + "->" + s + ":" + Design.MANAGEMENT_PORT));
        violations.require(
                namespaceIn.equals(expectedNamespaceIn),
                "ingress from other namespaces must be exactly " + expectedNamespaceIn + ", found " + namespaceIn);
        Set<String> expectedNamespaceOut = new TreeSet<>();
        Design.SERVICES.forEach(s -> expectedNamespaceOut.add(s + "->kube-system/{k8s-app=kube-dns}:53"));
        violations.require(
                namespaceOut.equals(expectedNamespaceOut),
                "egress to other namespaces must be exactly" + " DNS " + expectedNamespaceOut + ", found "
                        + namespaceOut);
        for (String service : Design.SERVICES) {
            Set<String> out = blocksOut.getOrDefault(service, Set.of());
            Set<Integer> ports = new TreeSet<>();
            out.forEach(block -> ports.add(Integer.parseInt(block.substring(block.lastIndexOf(':') + 1))));
            violations.require(
                    Set.of(443, 5432, 9094).containsAll(ports) && ports.containsAll(Set.of(443, 5432, 9094)),
                    service + ": egress to addresses must be PostgreSQL 5432, Kafka 9094 and HTTPS 443, found " + out);
            boolean internet = out.stream().anyMatch(block -> block.startsWith("0.0.0.0/0"));
            violations.require(
                    internet == service.equals(Design.CRYPTO),
                    service
                            + (internet
                                    ? ": only crypto-service may reach the internet (customers' KMS)"
                                    : ": crypto-service reaches customers' key services over HTTPS"));
        }
        // HTTPS to addresses: the OIDC issuer is what every service shares; beyond it, only the services with an
        // AWS role reach more (the VPC endpoints), and only crypto-service the internet.
        Set<String> shared = null;
        for (String service : Design.SERVICES) {
            Set<String> https = new TreeSet<>(blocksOut.getOrDefault(service, Set.of()));
            https.removeIf(block -> !block.endsWith(":443"));
            if (shared == null) {
                shared = https;
            } else {
                shared.retainAll(https);
            }
        }
        violations.require(shared != null && !shared.isEmpty(), "every service needs HTTPS to the OIDC issuer");
        for (String service : Design.SERVICES) {
            Set<String> extra = new TreeSet<>(blocksOut.getOrDefault(service, Set.of()));
            extra.removeIf(block -> !block.endsWith(":443") || block.startsWith("0.0.0.0/0"));
            if (shared != null) {
                extra.removeAll(shared);
            }
            violations.require(
                    extra.isEmpty() != Design.AWS_ROLE.contains(service),
                    service
                            + (extra.isEmpty()
                                    ? ": needs HTTPS to the AWS endpoints"
                                    : ": reaches " + extra + " beyond the OIDC issuer without an AWS role"));
        }
        return violations.list();
    }

    // ---- configuration and secrets -----------------------------------------------------------------------------

    /** No Secret with literal data: every secret is produced by an ExternalSecret from AWS Secrets Manager. */
    public List<String> secretsFromExternalSecretsOnly() {
        Violations violations = new Violations();
        // The Secrets cert-manager writes: each Certificate's key pair (and its issuer's CA), never in the manifests.
        Set<String> issued = new java.util.HashSet<>();
        ofKind("Certificate")
                .forEach(certificate ->
                        issued.add(certificate.path("spec").path("secretName").asText()));
        for (ObjectNode secret : ofKind("Secret")) {
            violations.add(id(secret) + ": a Secret in the manifests (secret values never live in this repository;"
                    + " use an ExternalSecret)"
                    + (secret.has("data") || secret.has("stringData") ? ", with data" : ""));
        }
        Map<String, Set<String>> produced = externalSecretTargets();
        Set<String> stores = new HashSet<>();
        for (ObjectNode store : ofKind("ClusterSecretStore")) {
            JsonNode aws = store.path("spec").path("provider").path("aws");
            violations.require(
                    aws.path("service").asText().equals("SecretsManager"), id(store) + ": must be AWS Secrets Manager");
            violations.require(
                    !aws.path("auth").has("secretRef"),
                    id(store) + ": must authenticate with its service account's IAM role, not stored keys");
            JsonNode conditions = store.path("spec").path("conditions");
            violations.require(
                    conditions.toString().contains("\"" + NAMESPACE + "\""),
                    id(store) + ": must be restricted to the " + NAMESPACE + " namespace");
            stores.add(name(store));
        }
        for (ObjectNode external : ofKind("ExternalSecret")) {
            JsonNode ref = external.path("spec").path("secretStoreRef");
            violations.require(
                    ref.path("kind").asText().equals("ClusterSecretStore")
                            && stores.contains(ref.path("name").asText()),
                    id(external) + ": must use the overlay's ClusterSecretStore");
            for (JsonNode data : external.path("spec").path("data")) {
                violations.require(
                        !data.path("remoteRef").path("key").asText().isEmpty(),
                        id(external) + ": every entry names its Secrets Manager secret");
            }
        }
        for (ObjectNode configMap : ofKind("ConfigMap")) {
            configMap
                    .path("data")
                    .fieldNames()
                    .forEachRemaining(key -> violations.require(
                            !Design.SECRET_NAME.matcher(key).matches(),
                            id(configMap) + ": " + key + " is a secret in a ConfigMap"));
        }
        for (ObjectNode deployment : deployments()) {
            JsonNode spec = podSpec(deployment);
            for (JsonNode container : containers(deployment)) {
                String where = id(deployment) + "/" + container.path("name").asText();
                for (JsonNode env : container.path("env")) {
                    String name = env.path("name").asText();
                    JsonNode secretRef = env.path("valueFrom").path("secretKeyRef");
                    if (!secretRef.isMissingNode()) {
                        String secret = secretRef.path("name").asText();
                        violations.require(
                                produced.containsKey(secret)
                                        && produced.get(secret)
                                                .contains(secretRef.path("key").asText()),
                                where + ": " + name + " reads " + secret + "/"
                                        + secretRef.path("key").asText() + ", which no ExternalSecret produces");
                    } else if (Design.SECRET_NAME.matcher(name).matches() && !name.endsWith("_FILE")) {
                        violations.add(where + ": " + name + " is a secret and must come from a secretKeyRef");
                    }
                }
                for (JsonNode from : container.path("envFrom")) {
                    if (from.has("secretRef")) {
                        violations.require(
                                produced.containsKey(
                                        from.path("secretRef").path("name").asText()),
                                where + ": envFrom a Secret no ExternalSecret produces");
                    }
                }
            }
            for (JsonNode volume : spec.path("volumes")) {
                if (volume.has("secret")) {
                    String secretName = volume.path("secret").path("secretName").asText();
                    violations.require(
                            produced.containsKey(secretName) || issued.contains(secretName),
                            id(deployment) + ": volume " + volume.path("name").asText()
                                    + " mounts a Secret no ExternalSecret or cert-manager Certificate produces");
                }
                if (volume.has("projected")) {
                    violations.add(id(deployment) + ": projected volume "
                            + volume.path("name").asText()
                            + " (no service account token or other secret by that path)");
                }
            }
        }
        return violations.list();
    }

    /** Secret name -> keys, for every Secret an ExternalSecret of the overlay creates. */
    Map<String, Set<String>> externalSecretTargets() {
        Map<String, Set<String>> targets = new HashMap<>();
        for (ObjectNode external : ofKind("ExternalSecret")) {
            JsonNode spec = external.path("spec");
            String target = spec.path("target").path("name").asText(name(external));
            Set<String> keys = targets.computeIfAbsent(target, t -> new TreeSet<>());
            spec.path("data").forEach(data -> keys.add(data.path("secretKey").asText()));
            spec.path("target").path("template").path("data").fieldNames().forEachRemaining(keys::add);
        }
        return targets;
    }

    /**
     * Each service gets the configuration it needs: the common keys, its own, the gateway's TLS settings, the
     * database's CA bundle mounted read-only; one source for what must be the same everywhere, and the
     * gateway's signing key for the gateway only.
     */
    public List<String> configuration() {
        Violations violations = new Violations();
        Map<String, Map<String, String>> sharedSources = new TreeMap<>();
        for (ObjectNode deployment : deployments()) {
            String service = name(deployment);
            JsonNode container = mainContainer(deployment);
            Map<String, String> values = new HashMap<>();
            Map<String, String> sources = new HashMap<>();
            for (JsonNode from : container.path("envFrom")) {
                String configMap = from.path("configMapRef").path("name").asText();
                Optional<ObjectNode> map = find("ConfigMap", configMap);
                violations.require(
                        from.has("secretRef") || map.isPresent(),
                        id(deployment) + ": envFrom ConfigMap " + configMap + " is not in the overlay");
                map.ifPresent(m -> m.path("data").properties().forEach(e -> {
                    values.put(e.getKey(), e.getValue().asText());
                    sources.put(e.getKey(), "ConfigMap " + configMap);
                }));
            }
            for (JsonNode env : container.path("env")) {
                String name = env.path("name").asText();
                JsonNode configMapRef = env.path("valueFrom").path("configMapKeyRef");
                Optional<ObjectNode> referenced = configMapRef.isMissingNode()
                        ? Optional.empty()
                        : find("ConfigMap", configMapRef.path("name").asText());
                if (referenced.isPresent()
                        && referenced
                                .get()
                                .path("data")
                                .has(configMapRef.path("key").asText())) {
                    values.put(
                            name,
                            referenced
                                    .get()
                                    .path("data")
                                    .path(configMapRef.path("key").asText())
                                    .asText());
                } else {
                    values.put(
                            name,
                            env.has("value")
                                    ? env.path("value").asText()
                                    : "(from "
                                            + env.path("valueFrom").fieldNames().next() + ")");
                }
                sources.put(name, source(env));
            }
            Set<String> needed = new TreeSet<>(Design.COMMON_ENV);
            needed.addAll(Design.SERVICE_ENV.get(service));
            needed.removeAll(values.keySet());
            violations.require(needed.isEmpty(), id(deployment) + ": missing configuration " + needed);
            for (String retired : Design.RETIRED_ENV) {
                violations.require(
                        !values.containsKey(retired),
                        id(deployment) + ": " + retired
                                + " is no longer read (the gateway reads its key pair from SPALCE_TLS_CERTIFICATE and"
                                + " SPALCE_TLS_KEY)");
            }
            Design.ONLY_ENV.forEach((name, owner) -> violations.require(
                    owner.equals(service) || !values.containsKey(name),
                    id(deployment) + ": " + name + " belongs to " + owner + " only"));
            Design.FIXED_ENV
                    .getOrDefault(service, Map.of())
                    .forEach((key, value) -> violations.require(
                            value.equals(values.get(key)),
                            id(deployment) + ": " + key + " must be " + value + ", found " + values.get(key)));
            Design.SAME_AS_ENV.forEach((key, other) -> violations.require(
                    !values.containsKey(key) || Objects.equals(values.get(key), values.get(other)),
                    id(deployment) + ": " + key + " must be the same as " + other + ", found " + values.get(key)
                            + " and " + values.get(other)));
            for (String shared : Design.SHARED_ENV) {
                if (sources.containsKey(shared)) {
                    sharedSources.computeIfAbsent(shared, s -> new TreeMap<>()).put(service, sources.get(shared));
                }
            }
            Design.DB_CA_ENV.forEach((key, value) -> violations.require(
                    value.equals(values.get(key)),
                    id(deployment) + ": " + key + " must be " + value + ", found " + values.get(key)));
            violations.addAll(mountedReadOnly(
                    deployment,
                    container,
                    Design.DB_CA_DIR,
                    Design.DB_CA_ENV.values(),
                    Set.of("configMap", "secret"),
                    "the database's CA bundle"));
            if (service.equals(Design.GATEWAY)) {
                Design.GATEWAY_TLS_ENV.forEach((key, value) -> violations.require(
                        value.equals(values.get(key)),
                        id(deployment) + ": " + key + " must be " + value + ", found " + values.get(key)));
                violations.addAll(mountedReadOnly(
                        deployment,
                        container,
                        Design.TLS_DIR,
                        List.of(
                                Design.GATEWAY_TLS_ENV.get("SPALCE_TLS_CERTIFICATE"),
                                Design.GATEWAY_TLS_ENV.get("SPALCE_TLS_KEY")),
                        Set.of("secret"),
                        "the TLS key pair"));
            } else {
                violations.require(
                        String.valueOf(Design.API_PORT.get(service)).equals(values.get("QUARKUS_HTTP_PORT")),
                        id(deployment) + ": QUARKUS_HTTP_PORT must be " + Design.API_PORT.get(service));
            }
            for (Map.Entry<String, String> value : values.entrySet()) {
                if (value.getKey().startsWith("SPALCE_SERVICES_")
                        && value.getKey().endsWith("_URL")) {
                    violations.require(
                            value.getValue().matches("https://[a-z-]+:8080"),
                            id(deployment) + ": " + value.getKey() + " must name an internal Service on 8080");
                }
                if (value.getKey().equals("SPALCE_OIDC_ISSUER")) {
                    violations.require(
                            value.getValue().startsWith("https://"),
                            id(deployment) + ": the OIDC issuer must be https");
                }
            }
        }
        sharedSources.forEach((name, byService) -> violations.require(
                new HashSet<>(byService.values()).size() == 1,
                name + " must come from one source for every service, found " + byService));
        return violations.list();
    }

    /**
     * Where an environment variable's value comes from: the literal, a ConfigMap key, or the AWS Secrets
     * Manager secret and property behind the ExternalSecret that produces the Secret it reads.
     */
    String source(JsonNode env) {
        if (env.has("value")) {
            return "value " + env.path("value").asText();
        }
        JsonNode configMapRef = env.path("valueFrom").path("configMapKeyRef");
        if (!configMapRef.isMissingNode()) {
            return "ConfigMap " + configMapRef.path("name").asText() + "/"
                    + configMapRef.path("key").asText();
        }
        JsonNode secretRef = env.path("valueFrom").path("secretKeyRef");
        String secret = secretRef.path("name").asText();
        String key = secretRef.path("key").asText();
        for (ObjectNode external : ofKind("ExternalSecret")) {
            JsonNode spec = external.path("spec");
            if (!spec.path("target").path("name").asText(name(external)).equals(secret)) {
                continue;
            }
            for (JsonNode data : spec.path("data")) {
                if (data.path("secretKey").asText().equals(key)) {
                    JsonNode remote = data.path("remoteRef");
                    return "Secrets Manager " + remote.path("key").asText() + "#"
                            + remote.path("property").asText();
                }
            }
        }
        return "Secret " + secret + "/" + key;
    }

    /**
     * The container mounts a volume of one of the given kinds read-only at {@code directory}, and the volume
     * provides each of {@code files} (absolute paths under that directory) when it lists its items.
     */
    static List<String> mountedReadOnly(
            JsonNode deployment,
            JsonNode container,
            String directory,
            Collection<String> files,
            Set<String> kinds,
            String what) {
        Violations violations = new Violations();
        JsonNode mount = null;
        for (JsonNode candidate : container.path("volumeMounts")) {
            if (candidate.path("mountPath").asText().equals(directory)) {
                mount = candidate;
            }
        }
        if (mount == null || !mount.path("readOnly").asBoolean(false)) {
            return List.of(id(deployment) + ": " + what + " must be mounted read-only at " + directory);
        }
        violations.require(
                !mount.has("subPath") && !mount.has("subPathExpr"),
                id(deployment) + ": mount the whole volume at " + directory + " (a subPath never sees updates)");
        String volumeName = mount.path("name").asText();
        JsonNode volume = null;
        for (JsonNode declared : podSpec(deployment).path("volumes")) {
            if (declared.path("name").asText().equals(volumeName)) {
                volume = declared;
            }
        }
        String kind = volume == null
                ? "(none)"
                : kinds.stream().filter(volume::has).findFirst().orElse(null);
        if (volume == null || kind == null) {
            violations.add(id(deployment) + ": " + what + " at " + directory + " must come from a volume of kind "
                    + new TreeSet<>(kinds) + ", found " + (volume == null ? "no volume " + volumeName : volume));
            return violations.list();
        }
        JsonNode items = volume.path(kind).path("items");
        if (!items.isMissingNode() && !items.isEmpty()) {
            Set<String> provided = new TreeSet<>();
            items.forEach(
                    item -> provided.add(directory + "/" + item.path("path").asText()));
            for (String file : files) {
                violations.require(
                        provided.contains(file),
                        id(deployment) + ": volume " + volumeName + " does not provide " + file + " (its items: "
                                + provided + ")");
            }
        }
        return violations.list();
    }
}
