package dev.spalce.deploy.checks.terraform;

import dev.spalce.deploy.checks.Design;
import dev.spalce.deploy.checks.Violations;
import dev.spalce.deploy.checks.terraform.Terraform.Block;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Spalce's own invariants of deploy/ecs, read from the Terraform parsed by hcl4j: least privilege per service,
 * private networking, encryption with Spalce's own KMS keys, authenticated Kafka, CloudTrail, the audit
 * anchor, migrations holding the admin credential, public TLS, and no secret in the code. The generic
 * hygiene of AWS resources is Checkov's (deploy/checkov, run by the pipeline). Each method returns its
 * violations, one line each; a value it needs and cannot read statically is a violation too.
 */
public final class TerraformChecks {

    /** The one action IAM accepts on resource "*" only: ECR's authorization token (per registry). */
    public static final String STAR_RESOURCE_EXCEPTION = "ecr:GetAuthorizationToken";

    /** TLS policies of the load balancer that allow TLS 1.2 and 1.3 only. */
    public static final Set<String> TLS_POLICIES = Set.of(
            "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06");

    /** Wildcards that scope within one named resource: a bucket's objects, a log group's streams. */
    private static final List<String> SCOPED_WILDCARD_SUFFIXES = List.of("/*", ":log-stream:*", ":*");

    /** The region the design names as the default. */
    public static final String DEFAULT_REGION = "us-east-1";

    private final Terraform module;

    public TerraformChecks(Terraform module) {
        this.module = module;
    }

    // ---- least privilege --------------------------------------------------------------------------------

    /**
     * Every identity policy attached to a role: no wildcard action, no resource "*" (but ECR's token), no
     * managed policy; each service's task role and IRSA role grant exactly its design's actions.
     */
    public List<String> iamLeastPrivilege() {
        Violations violations = new Violations();
        violations.require(
                module.resources("aws_iam_role_policy_attachment").isEmpty()
                        && module.resources("aws_iam_policy").isEmpty(),
                "managed policies: every role's permissions are inline documents in the module");
        for (Block attachment : module.resources("aws_iam_role_policy")) {
            Optional<Block> document = documentOf(attachment.text("policy"));
            if (document.isEmpty()) {
                if (!attachment.name().equals("irsa")) {
                    violations.add(attachment.where() + ": policy is not an aws_iam_policy_document of the module");
                }
                continue;
            }
            for (Map<String, Object> statement : document.get().blocks("statement")) {
                String sid = document.get().where() + " " + Terraform.text(statement.get("sid"));
                List<String> actions = Terraform.texts(statement.get("actions"));
                List<String> resources = Terraform.texts(statement.get("resources"));
                violations.require(
                        Terraform.text(statement.get("effect")).equals("Allow"), sid + ": effect must be Allow");
                for (String action : actions) {
                    violations.require(!action.contains("*"), sid + ": wildcard action " + action);
                }
                for (String resource : resources) {
                    if (resource.equals("*")) {
                        violations.require(actions.equals(List.of(STAR_RESOURCE_EXCEPTION)), sid + ": resource \"*\"");
                    } else if (resource.contains("*")) {
                        violations.require(
                                SCOPED_WILDCARD_SUFFIXES.stream()
                                        .anyMatch(suffix -> resource.endsWith(suffix)
                                                && !resource.substring(0, resource.length() - suffix.length())
                                                        .contains("*")
                                                && !resource.startsWith("arn:")),
                                sid + ": wildcard in resource " + resource);
                    }
                }
                violations.require(!resources.isEmpty(), sid + ": no resources");
            }
        }
        for (String service : Design.SERVICES) {
            Set<String> granted = taskRoleActions(service);
            Set<String> expected = Design.AWS_ACTIONS.getOrDefault(service, Set.of());
            violations.require(
                    granted.equals(expected),
                    service + ": its task role grants " + granted + ", the design " + new TreeSet<>(expected));
        }
        Object irsa = module.local("aws_service_policies").orElse(null);
        Map<String, Object> irsaPolicies =
                Terraform.maps(irsa).stream().findFirst().orElse(Map.of());
        violations.require(
                irsaPolicies.keySet().equals(Design.AWS_ACTIONS.keySet()),
                "local.aws_service_policies (IRSA) must name exactly " + Design.AWS_ACTIONS.keySet() + ", names "
                        + irsaPolicies.keySet());
        for (Map.Entry<String, Object> policy : irsaPolicies.entrySet()) {
            violations.require(
                    Terraform.text(policy.getValue())
                            .equals(taskPolicyDocument(policy.getKey()).orElse("?")),
                    "IRSA role of " + policy.getKey() + " must carry its ECS task role's policy document, has "
                            + policy.getValue());
        }
        module.data("aws_iam_policy_document", "irsa_assume")
                .ifPresentOrElse(
                        assume -> {
                            for (Map<String, Object> statement : assume.blocks("statement")) {
                                violations.require(
                                        Terraform.texts(statement.get("actions"))
                                                .equals(List.of("sts:AssumeRoleWithWebIdentity")),
                                        "IRSA trust: sts:AssumeRoleWithWebIdentity only");
                                List<Map<String, Object>> conditions = Terraform.maps(statement.get("condition"));
                                violations.require(
                                        conditions.stream()
                                                        .anyMatch(c -> Terraform.texts(c.get("values"))
                                                                .toString()
                                                                .contains("system:serviceaccount:"))
                                                && conditions.stream()
                                                        .anyMatch(c -> Terraform.texts(c.get("values"))
                                                                .contains("sts.amazonaws.com")),
                                        "IRSA trust: conditioned on the one ServiceAccount (sub) and the STS audience (aud)");
                            }
                        },
                        () -> violations.add("no data.aws_iam_policy_document.irsa_assume (IRSA roles)"));
        return violations.list();
    }

    /** Every AWS SDK call in a service's code is granted to its role (read from {@code repoRoot/SERVICE}). */
    public List<String> sdkCallsGranted(Path repoRoot) {
        Violations violations = new Violations();
        for (String service : Design.SERVICES) {
            Set<String> called = AwsSdkCalls.actions(repoRoot.resolve(service));
            Set<String> granted = taskRoleActions(service);
            for (String action : called) {
                violations.require(
                        granted.contains(action), service + " calls " + action + ", which its role does not grant");
            }
        }
        return violations.list();
    }

    private Set<String> taskRoleActions(String service) {
        Set<String> actions = new TreeSet<>();
        for (Block attachment : module.resources("aws_iam_role_policy")) {
            if (attachment.text("role").equals("aws_iam_role.task[\"" + service + "\"].id")) {
                documentOf(attachment.text("policy"))
                        .ifPresent(document -> document.blocks("statement")
                                .forEach(statement -> actions.addAll(Terraform.texts(statement.get("actions")))));
            }
        }
        return actions;
    }

    private Optional<String> taskPolicyDocument(String service) {
        return module.resources("aws_iam_role_policy").stream()
                .filter(attachment -> attachment.text("role").equals("aws_iam_role.task[\"" + service + "\"].id"))
                .map(attachment -> attachment.text("policy"))
                .findFirst();
    }

    private Optional<Block> documentOf(String reference) {
        java.util.regex.Matcher document = java.util.regex.Pattern.compile(
                        "data\\.aws_iam_policy_document\\.([a-z0-9_]+)(\\[[^]]*])?\\.json")
                .matcher(reference);
        return document.matches() ? module.data("aws_iam_policy_document", document.group(1)) : Optional.empty();
    }

    // ---- network ----------------------------------------------------------------------------------------

    /** Tasks, the database and Kafka in private subnets without public addresses. */
    public List<String> privateNetworking() {
        Violations violations = new Violations();
        for (Block service : module.resources("aws_ecs_service")) {
            Map<String, Object> network =
                    service.blocks("network_configuration").stream().findFirst().orElse(Map.of());
            violations.require(
                    Boolean.FALSE.equals(network.get("assign_public_ip")),
                    service.where() + ": assign_public_ip must be false");
            violations.require(
                    Terraform.text(network.get("subnets")).startsWith("aws_subnet.private"),
                    service.where() + ": tasks must run in aws_subnet.private, not " + network.get("subnets"));
        }
        for (Block db : module.resources("aws_db_instance")) {
            violations.require(
                    Boolean.FALSE.equals(db.body().get("publicly_accessible")),
                    db.where() + ": publicly_accessible must be false");
        }
        for (Block msk : module.resources("aws_msk_cluster")) {
            Map<String, Object> nodes =
                    msk.blocks("broker_node_group_info").stream().findFirst().orElse(Map.of());
            violations.require(
                    Terraform.text(nodes.get("client_subnets")).startsWith("aws_subnet.data"),
                    msk.where() + ": brokers must be in aws_subnet.data");
            violations.require(
                    String.valueOf(nodes.get("connectivity_info")).contains("type=DISABLED"),
                    msk.where() + ": public access must be DISABLED");
        }
        for (Block lb : module.resources("aws_lb")) {
            violations.require(
                    Terraform.text(lb.body().get("subnets")).startsWith("aws_subnet.public"),
                    lb.where() + ": the load balancer is the one thing in the public subnets");
        }
        return violations.list();
    }

    // ---- encryption -------------------------------------------------------------------------------------

    /** Buckets, the database, Kafka, log groups and secrets encrypted with the module's own KMS keys. */
    public List<String> encryptionWithOwnKeys() {
        Violations violations = new Violations();
        for (Block bucket : module.resources("aws_s3_bucket")) {
            Optional<Block> sse = module.resource("aws_s3_bucket_server_side_encryption_configuration", bucket.name());
            String rule =
                    sse.map(block -> String.valueOf(block.body().get("rule"))).orElse("");
            violations.require(
                    rule.contains("sse_algorithm=aws:kms") && rule.contains("kms_master_key_id=aws_kms_key."),
                    bucket.where() + ": default encryption must be SSE-KMS with one of the module's keys");
            violations.require(
                    module.resource("aws_s3_bucket_public_access_block", bucket.name())
                            .map(block -> block.body().entrySet().stream()
                                    .filter(e -> !e.getKey().equals("bucket"))
                                    .allMatch(e -> Boolean.TRUE.equals(e.getValue())))
                            .orElse(false),
                    bucket.where() + ": every public access path must be blocked");
            violations.require(
                    module.data("aws_iam_policy_document", bucket.name() + "_bucket")
                            .map(policy -> policy.blocks("statement").stream()
                                    .anyMatch(s -> "DenyInsecureTransport".equals(s.get("sid"))))
                            .orElse(false),
                    bucket.where() + ": its bucket policy must deny requests without TLS");
        }
        for (Block db : module.resources("aws_db_instance")) {
            violations.require(
                    Boolean.TRUE.equals(db.body().get("storage_encrypted"))
                            && db.text("kms_key_id").startsWith("aws_kms_key."),
                    db.where() + ": storage encrypted with one of the module's keys");
        }
        for (Block msk : module.resources("aws_msk_cluster")) {
            String encryption = String.valueOf(msk.body().get("encryption_info"));
            violations.require(
                    encryption.contains("encryption_at_rest_kms_key_arn=aws_kms_key.")
                            && encryption.contains("client_broker=TLS")
                            && encryption.contains("in_cluster=true"),
                    msk.where()
                            + ": encrypted at rest with one of the module's keys, TLS between clients and brokers and inside");
        }
        for (String type : List.of("aws_cloudwatch_log_group", "aws_secretsmanager_secret")) {
            for (Block block : module.resources(type)) {
                violations.require(
                        block.text("kms_key_id").startsWith("aws_kms_key."),
                        block.where() + ": kms_key_id must name one of the module's keys");
            }
        }
        for (Block key : module.resources("aws_kms_key")) {
            violations.require(
                    Boolean.TRUE.equals(key.body().get("enable_key_rotation")),
                    key.where() + ": enable_key_rotation must be true");
        }
        return violations.list();
    }

    // ---- Kafka ------------------------------------------------------------------------------------------

    /** MSK refuses unauthenticated clients and authenticates each service by its certificate from the internal CA. */
    public List<String> kafkaAuthenticated() {
        Violations violations = new Violations();
        for (Block msk : module.resources("aws_msk_cluster")) {
            Map<String, Object> auth =
                    msk.blocks("client_authentication").stream().findFirst().orElse(Map.of());
            violations.require(
                    Boolean.FALSE.equals(auth.get("unauthenticated")),
                    msk.where() + ": client_authentication.unauthenticated must be false");
            violations.require(
                    Terraform.maps(auth.get("tls")).stream()
                            .anyMatch(tls -> Terraform.texts(tls.get("certificate_authority_arns"))
                                    .contains("aws_acmpca_certificate_authority.internal.arn")),
                    msk.where() + ": mutual TLS with the internal Private CA");
        }
        violations.require(
                module.resource("aws_msk_configuration", "main")
                        .map(c -> c.text("server_properties"))
                        .orElse("")
                        .contains("allow.everyone.if.no.acl.found=false"),
                "aws_msk_configuration.main: allow.everyone.if.no.acl.found=false (a topic without ACLs is closed)");
        return violations.list();
    }

    // ---- Internal certificates ---------------------------------------------------------------------------

    /** The longest an internal certificate may live (the zero-trust issue: 90 days or less). */
    static final int MAX_INTERNAL_CERTIFICATE_DAYS = 90;
    /** The end-entity template that takes the subject and SANs from the request (the SPIFFE URI). */
    static final String APIPASSTHROUGH_TEMPLATE = ":acm-pca:::template/EndEntityCertificate_APIPassthrough/V1";
    /** Days of validity a certificate keeps when the next rotation replaces it, at least. */
    static final int RENEWAL_MARGIN_DAYS = 7;

    /**
     * Every service's internal certificate is issued and rotated automatically: its secret is rotated by the rotation
     * function, which the internal Private CA issues for at most 90 days with the APIPassthrough template, well before
     * the certificate ends; no end-entity certificate is issued by Terraform itself (its key would be in the state).
     */
    public List<String> internalCertificates() {
        Violations violations = new Violations();
        int validity = variableDefault("internal_certificate_validity_days");
        int rotation = variableDefault("internal_certificate_rotation_days");
        violations.require(
                validity > 0 && validity <= MAX_INTERNAL_CERTIFICATE_DAYS,
                "variable.internal_certificate_validity_days: default " + validity + ", at most "
                        + MAX_INTERNAL_CERTIFICATE_DAYS);
        violations.require(
                rotation > 0 && rotation <= validity - RENEWAL_MARGIN_DAYS,
                "variable.internal_certificate_rotation_days: default " + rotation + ", at most the validity less "
                        + RENEWAL_MARGIN_DAYS + " days");
        Optional<Block> rotationOfSecrets = module.resource("aws_secretsmanager_secret_rotation", "internal_tls");
        violations.require(
                rotationOfSecrets
                        .map(r -> r.text("for_each").equals("aws_secretsmanager_secret.internal_tls")
                                && r.text("rotation_lambda_arn").equals("aws_lambda_function.internal_certificates.arn")
                                && r.blocks("rotation_rules").stream()
                                        .anyMatch(rules -> Terraform.text(rules.get("automatically_after_days"))
                                                .equals("var.internal_certificate_rotation_days")))
                        .orElse(false),
                "aws_secretsmanager_secret_rotation.internal_tls: every internal-tls secret rotated by"
                        + " aws_lambda_function.internal_certificates every var.internal_certificate_rotation_days");
        Map<String, Object> environment = module.resource("aws_lambda_function", "internal_certificates")
                .flatMap(f -> f.blocks("environment").stream().findFirst())
                .flatMap(e -> Terraform.maps(e.get("variables")).stream().findFirst())
                .orElse(Map.of());
        violations.require(
                Terraform.text(environment.get("VALIDITY_DAYS")).equals("var.internal_certificate_validity_days")
                        && Terraform.text(environment.get("CA_ARN"))
                                .equals("aws_acmpca_certificate_authority.internal.arn")
                        && Terraform.text(environment.get("TEMPLATE_ARN")).endsWith(APIPASSTHROUGH_TEMPLATE),
                "aws_lambda_function.internal_certificates: issues from the internal CA, with the APIPassthrough"
                        + " template, for var.internal_certificate_validity_days");
        String issue = module.data("aws_iam_policy_document", "internal_certificates")
                .map(d -> String.valueOf(d.blocks("statement").stream()
                        .filter(st -> Terraform.texts(st.get("actions")).contains("acm-pca:IssueCertificate"))
                        .toList()))
                .orElse("");
        violations.require(
                issue.contains("aws_acmpca_certificate_authority.internal.arn")
                        && issue.contains("acm-pca:TemplateArn")
                        && issue.contains(APIPASSTHROUGH_TEMPLATE),
                "data.aws_iam_policy_document.internal_certificates: acm-pca:IssueCertificate on the internal CA,"
                        + " conditioned on the APIPassthrough template");
        for (Block certificate : module.resources("aws_acmpca_certificate")) {
            violations.require(
                    certificate.name().equals("internal_root"),
                    certificate.where() + ": only the CA's own certificate is issued by Terraform (an end-entity"
                            + " key would be in the state)");
        }
        return violations.list();
    }

    private int variableDefault(String name) {
        try {
            return (int) Double.parseDouble(
                    module.variable(name).map(v -> v.text("default")).orElse("0"));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    // ---- CloudTrail and the audit anchor -----------------------------------------------------------------

    /** A multi-region trail with log file validation, into a KMS-encrypted bucket with Object Lock. */
    public List<String> cloudTrail() {
        Violations violations = new Violations();
        List<Block> trails = module.resources("aws_cloudtrail");
        violations.require(!trails.isEmpty(), "no aws_cloudtrail");
        for (Block trail : trails) {
            violations.require(
                    Boolean.TRUE.equals(trail.body().get("is_multi_region_trail")),
                    trail.where() + ": is_multi_region_trail must be true");
            violations.require(
                    Boolean.TRUE.equals(trail.body().get("enable_log_file_validation")),
                    trail.where() + ": enable_log_file_validation must be true");
            violations.require(
                    trail.text("kms_key_id").startsWith("aws_kms_key."),
                    trail.where() + ": kms_key_id must name one of the module's keys");
            String bucket =
                    trail.text("s3_bucket_name").replace("aws_s3_bucket.", "").replace(".id", "");
            violations.addAll(objectLocked(bucket));
        }
        return violations.list();
    }

    /** The checkpoints' anchor: Object Lock in compliance mode, written by audit-log-service's roles alone. */
    public List<String> auditAnchor() {
        Violations violations = new Violations();
        violations.addAll(objectLocked("audit_anchor"));
        module.data("aws_iam_policy_document", "audit_anchor_bucket")
                .ifPresentOrElse(
                        policy -> violations.require(
                                policy.blocks("statement").stream()
                                        .anyMatch(s -> "Deny".equals(s.get("effect"))
                                                && Terraform.texts(s.get("actions"))
                                                        .contains("s3:PutObject")
                                                && Terraform.maps(s.get("condition")).stream()
                                                        .anyMatch(c -> "StringNotEquals".equals(c.get("test"))
                                                                && "aws:PrincipalArn".equals(c.get("variable"))
                                                                && "local.audit_anchor_writer_arns"
                                                                        .equals(Terraform.text(c.get("values"))))),
                                "the anchor bucket's policy must deny s3:PutObject to every principal but local.audit_anchor_writer_arns"),
                        () -> violations.add("no data.aws_iam_policy_document.audit_anchor_bucket"));
        for (Block attachment : module.resources("aws_iam_role_policy")) {
            documentOf(attachment.text("policy")).ifPresent(document -> {
                for (Map<String, Object> statement : document.blocks("statement")) {
                    boolean writesAnchor = Terraform.texts(statement.get("resources")).stream()
                                    .anyMatch(r -> r.contains("aws_s3_bucket.audit_anchor"))
                            && Terraform.texts(statement.get("actions")).contains("s3:PutObject");
                    violations.require(
                            !writesAnchor
                                    || attachment.text("role").equals("aws_iam_role.task[\"" + Design.AUDIT + "\"].id")
                                    || attachment.name().equals("irsa"),
                            attachment.where() + ": only audit-log-service may write the anchor bucket");
                }
            });
        }
        return violations.list();
    }

    private List<String> objectLocked(String bucket) {
        Violations violations = new Violations();
        Optional<Block> resource = module.resource("aws_s3_bucket", bucket);
        violations.require(
                resource.map(b -> Boolean.TRUE.equals(b.body().get("object_lock_enabled")))
                        .orElse(false),
                "aws_s3_bucket." + bucket + ": object_lock_enabled must be true");
        violations.require(
                module.resource("aws_s3_bucket_object_lock_configuration", bucket)
                        .map(lock -> String.valueOf(lock.body().get("rule")).contains("mode=COMPLIANCE"))
                        .orElse(false),
                "aws_s3_bucket." + bucket + ": Object Lock default retention in COMPLIANCE mode");
        return violations.list();
    }

    // ---- migrations -------------------------------------------------------------------------------------

    /**
     * The admin credential reaches the migration task only (init-and-exit); the services get their own
     * database password, their internal mTLS files, and no admin setting.
     */
    public List<String> migrationsHoldTheAdminCredential() {
        Violations violations = new Violations();
        String services = module.resource("aws_ecs_task_definition", "service")
                .map(b -> b.text("container_definitions"))
                .orElse("");
        for (String name : Design.MIGRATION_ONLY_ENV) {
            violations.require(
                    !services.contains(name),
                    "aws_ecs_task_definition.service: " + name + " reaches a long-running service");
            violations.require(
                    !String.valueOf(module.local("common_environment").orElse(""))
                                    .contains(name)
                            && !String.valueOf(
                                            module.local("service_environment").orElse(""))
                                    .contains(name)
                            && !String.valueOf(module.local("service_secrets").orElse(""))
                                    .contains(name),
                    "locals: " + name + " in a service's environment");
        }
        List<String> secrets = new ArrayList<>();
        for (Map<String, Object> perService :
                Terraform.maps(module.local("service_secrets").orElse(null))) {
            violations.require(
                    perService.keySet().containsAll(Design.SERVICES), "local.service_secrets: one list per service");
            for (Map.Entry<String, Object> service : perService.entrySet()) {
                Terraform.maps(service.getValue())
                        .forEach(entry -> secrets.add(service.getKey() + ":" + Terraform.text(entry.get("name"))));
            }
        }
        violations.require(
                services.contains("local.service_secrets"),
                "aws_ecs_task_definition.service: secrets must be local.service_secrets");
        for (String service : Design.SERVICES) {
            violations.require(
                    secrets.contains(service + ":SPALCE_DB_APP_PASSWORD"),
                    "local.service_secrets: " + service + " needs SPALCE_DB_APP_PASSWORD");
        }
        String migrate = module.resource("aws_ecs_task_definition", "migrate")
                .map(b -> b.text("container_definitions"))
                .orElse("");
        violations.require(
                migrate.contains("\"QUARKUS_INIT_AND_EXIT\"")
                        && migrate.contains("\"value\" : \"true\"")
                        && migrate.contains("SPALCE_DB_ADMIN_PASSWORD")
                        && migrate.contains("local.db_admin_secret_arn:password::"),
                "aws_ecs_task_definition.migrate: the service's image with QUARKUS_INIT_AND_EXIT=true and the admin credential from RDS's secret");
        violations.require(
                module.resource("aws_ecs_task_definition", "migrate")
                        .map(b -> b.text("task_role_arn").isEmpty())
                        .orElse(false),
                "aws_ecs_task_definition.migrate: no task role (a migration calls no AWS API)");
        List<String> environment = new ArrayList<>();
        for (Map<String, Object> entry :
                Terraform.maps(module.local("common_environment").orElse(null))) {
            environment.add(Terraform.text(entry.get("name")) + "=" + Terraform.text(entry.get("value")));
        }
        for (Map.Entry<String, String> file : Design.INTERNAL_TLS_ENV.entrySet()) {
            violations.require(
                    environment.contains(file.getKey() + "=" + file.getValue()),
                    "local.common_environment: " + file.getKey() + "=" + file.getValue());
        }
        return violations.list();
    }

    // ---- the way in and the rest ------------------------------------------------------------------------

    /** HTTPS with TLS 1.2/1.3 and a DNS-validated ACM certificate; HTTP only redirects. */
    public List<String> publicTls() {
        Violations violations = new Violations();
        for (Block listener : module.resources("aws_lb_listener")) {
            if ("HTTPS".equals(listener.text("protocol"))) {
                violations.require(
                        TLS_POLICIES.contains(listener.text("ssl_policy")),
                        listener.where() + ": ssl_policy " + listener.text("ssl_policy"));
                violations.require(
                        listener.text("certificate_arn")
                                .equals("aws_acm_certificate_validation.public.certificate_arn"),
                        listener.where() + ": the certificate must be the DNS-validated ACM certificate");
            } else {
                violations.require(
                        String.valueOf(listener.body().get("default_action")).contains("type=redirect")
                                && String.valueOf(listener.body().get("default_action"))
                                        .contains("protocol=HTTPS"),
                        listener.where() + ": plain HTTP must only redirect");
            }
        }
        violations.require(
                module.resource("aws_acm_certificate", "public")
                        .map(c -> "DNS".equals(c.text("validation_method")))
                        .orElse(false),
                "aws_acm_certificate.public: validation_method DNS");
        violations.require(
                module.resources("aws_lb_target_group").stream().allMatch(t -> "HTTPS".equals(t.text("protocol"))),
                "the load balancer reaches the gateway over HTTPS only");
        for (Block group : module.resources("aws_lb_target_group")) {
            // The management port serves TLS only: a health check over HTTP would fail and keep the gateway out.
            violations.require(
                    group.blocks("health_check").stream()
                            .allMatch(check -> "HTTPS".equals(Terraform.text(check.get("protocol")))),
                    group.where() + ": the health check must use HTTPS (the management port serves TLS only)");
        }
        return violations.list();
    }

    /** The default region; no secret value in the module; the database's password managed by RDS. */
    /**
     * Each task's file volumes ({@code local.file_volumes}, written by its files-init container) are exactly the
     * mount points its image declares and owns for the service's user (Design.mountedDirectories): a volume the
     * image does not own would be root's, and files-init, running as the service's user, could not write it.
     */
    public List<String> fileVolumesMatchTheImages() {
        Violations violations = new Violations();
        List<Map<String, Object>> volumes =
                Terraform.maps(module.local("file_volumes").orElse(null));
        violations.require(volumes.size() == 1, "locals.file_volumes: one map of each service's file volumes");
        for (Map<String, Object> byService : volumes) {
            for (String service : Design.SERVICES) {
                Set<String> paths = Terraform.maps(byService.get(service)).stream()
                        .flatMap(volume -> volume.values().stream())
                        .map(Terraform::text)
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<String> mountPoints = Design.mountedDirectories(service);
                violations.require(
                        paths.equals(mountPoints),
                        "locals.file_volumes[\"" + service + "\"]: " + paths + ", but its image's mount points are "
                                + mountPoints);
            }
        }
        return violations.list();
    }

    public List<String> regionAndSecrets() {
        Violations violations = new Violations();
        violations.require(
                module.variable("region")
                        .map(v -> DEFAULT_REGION.equals(v.text("default")))
                        .orElse(false),
                "variable.region: default " + DEFAULT_REGION);
        for (Block db : module.resources("aws_db_instance")) {
            violations.require(
                    Boolean.TRUE.equals(db.body().get("manage_master_user_password"))
                            && !db.body().containsKey("password"),
                    db.where() + ": the master password is RDS's managed secret, never an argument");
        }
        for (Map.Entry<String, String> file : module.sources().entrySet()) {
            for (String line : file.getValue().split("\n")) {
                String trimmed = line.strip();
                if (trimmed.matches("\\{ name = \"[A-Z_]+\", value = \".*")) {
                    String name = trimmed.replaceAll("\\{ name = \"([A-Z_]+)\".*", "$1");
                    violations.require(
                            !Design.SECRET_NAME.matcher(name).matches() || name.endsWith("_FILE"),
                            file.getKey() + ": " + name + " as a plain value");
                }
                violations.require(
                        !trimmed.matches("(?i)(password|secret_string|secret_key|access_key)\\s*=\\s*\".*"),
                        file.getKey() + ": a secret value in the code: " + trimmed);
            }
        }
        return violations.list();
    }
}
