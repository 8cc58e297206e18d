package dev.spalce.deploy.checks.terraform;

import dev.spalce.deploy.checks.Design;
import dev.spalce.deploy.checks.Violations;
import dev.spalce.deploy.checks.hcl.Body;
import dev.spalce.deploy.checks.hcl.Expr;
import dev.spalce.deploy.checks.hcl.Hcl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The invariants of deploy/ecs, read from the parsed Terraform. Each method returns the violations it finds,
 * one line each. A value the checks cannot read statically (a computed string where a literal is required,
 * a policy built at run time) is itself a violation: the checks fail closed.
 */
public final class TerraformChecks {

    /** The one statement allowed to grant on resource "*": ECR's authorization token (no resource-level permissions). */
    public static final Set<String> STAR_RESOURCE_EXCEPTION = Set.of("ecr:GetAuthorizationToken");

    /** TLS policies of the load balancer that allow TLS 1.2 and 1.3 only. */
    public static final Set<String> TLS_POLICIES = Set.of(
            "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06");

    /** The AWS managed WAF rule groups the design requires. */
    public static final Set<String> WAF_RULE_GROUPS = Set.of(
            "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet",
            "AWSManagedRulesAmazonIpReputationList");

    /** A wildcard that scopes within one named resource: the objects of a bucket, the streams of a log group. */
    private static final Set<String> SCOPED_WILDCARD_SUFFIXES = Set.of("/*", ":*", ":log-stream:*");

    /** What the aws-kms provider calls: wrap, unwrap, server-side rewrap, key checks, versions and rotation. */
    private static final Set<String> CRYPTO_KMS_ACTIONS = Set.of(
            "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey",
            "kms:ListKeyRotations", "kms:RotateKeyOnDemand");

    private final Terraform module;
    private final IamPolicies policies;

    public TerraformChecks(Terraform module) {
        this.module = module;
        this.policies = new IamPolicies(module);
    }

    // ---- IAM -----------------------------------------------------------------------------------------------

    /** No Allow statement grants an action or a resource "*" (one documented exception), and all are readable. */
    public List<String> iamNoWildcards() {
        Violations violations = new Violations();
        violations.addAll(policies.unreadable());
        for (IamPolicies.Statement statement : policies.statements()) {
            if (!statement.allows()) {
                violations.require("Deny".equals(statement.effect()),
                        statement.where() + ": effect must be the literal Allow or Deny");
                continue;
            }
            violations.require(statement.notActions() == null && statement.notResources() == null,
                    statement.where() + ": NotAction/NotResource in an Allow statement grants everything else");
            for (Expr principal : statement.principals()) {
                forEachString(principal, value -> violations.require(!value.contains("*"),
                        statement.where() + ": Allow to principal " + value));
            }
            List<String> actions = literalStrings(statement.actions());
            if (actions == null) {
                violations.add(statement.where() + ": actions must be a list of literal strings, found "
                        + text(statement.actions()));
                continue;
            }
            for (String action : actions) {
                violations.require(!action.contains("*"), statement.where() + ": wildcard action " + action);
            }
            boolean trust = !statement.principals().isEmpty()
                    && actions.stream().allMatch(action -> action.startsWith("sts:AssumeRole"));
            if (statement.resources() == null) {
                violations.require(trust, statement.where() + ": no resources (that is every resource)");
                continue;
            }
            boolean starAllowed = Set.copyOf(actions).equals(STAR_RESOURCE_EXCEPTION)
                    && executionRoleOnly(statement.document());
            checkResource(statement.resources(), statement.where(), starAllowed, violations, 0);
        }
        violations.addAll(noManagedPolicies());
        return violations.list();
    }

    private boolean executionRoleOnly(String document) {
        List<Terraform.Located> users = new ArrayList<>();
        for (Terraform.Located located : module.blocks("resource")) {
            for (Body.Attribute attribute : located.body().attributes().values()) {
                List<String> names = Hcl.names(attribute.expr());
                if (names.size() == 4 && names.get(0).equals("data") && names.get(2).equals(document)) {
                    users.add(located);
                }
            }
        }
        return !users.isEmpty() && users.stream().allMatch(user -> user.block().label(0).equals("aws_iam_role_policy")
                && user.body().attribute("role").map(Hcl::names)
                .filter(names -> names.size() >= 2 && names.get(0).equals("aws_iam_role")
                        && names.get(1).equals("execution")).isPresent());
    }

    private void checkResource(Expr expr, String where, boolean starAllowed, Violations violations, int depth) {
        if (depth > 20) {
            violations.add(where + ": resources nest too deeply to read");
            return;
        }
        if (expr instanceof Expr.Literal literal && literal.value() instanceof String value) {
            if (value.equals("*")) {
                violations.require(starAllowed, where + ": resource \"*\" (only "
                        + STAR_RESOURCE_EXCEPTION + " in an execution role may)");
            } else {
                violations.require(!value.contains("*"), where + ": wildcard in resource " + value);
                violations.require(value.startsWith("arn:"), where + ": resource is not an ARN: " + value);
            }
        } else if (expr instanceof Expr.Template template) {
            List<Object> parts = template.parts();
            boolean first = parts.get(0) instanceof Expr ref && isArnReference(ref);
            violations.require(first, where + ": a resource built from text must start with a resource's ARN: "
                    + template.text());
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i) instanceof String literal && literal.contains("*")) {
                    violations.require(i == parts.size() - 1 && SCOPED_WILDCARD_SUFFIXES.contains(literal),
                            where + ": wildcard in resource " + template.text());
                } else if (parts.get(i) instanceof Expr inner && i > 0) {
                    violations.add(where + ": interpolation inside a resource ARN: " + template.text());
                    checkResource(inner, where, false, violations, depth + 1);
                }
            }
        } else if (expr instanceof Expr.Tuple tuple) {
            for (Expr item : tuple.items()) {
                checkResource(item, where, starAllowed, violations, depth + 1);
            }
        } else if (expr instanceof Expr.Call call && Set.of("concat", "flatten", "tolist", "toset", "distinct",
                "compact").contains(call.name())) {
            for (Expr arg : call.args()) {
                checkResource(arg, where, starAllowed, violations, depth + 1);
            }
        } else if (expr instanceof Expr.Conditional conditional) {
            checkResource(conditional.ifTrue(), where, starAllowed, violations, depth + 1);
            checkResource(conditional.ifFalse(), where, starAllowed, violations, depth + 1);
        } else if (expr instanceof Expr.For forExpr) {
            checkResource(forExpr.valueExpr(), where, starAllowed, violations, depth + 1);
        } else if (!Hcl.names(expr).isEmpty()) {
            List<String> names = Hcl.names(expr);
            if (names.get(0).equals("local")) {
                checkResource(module.resolveLocal(expr), where + " (" + expr.text() + ")", starAllowed,
                        violations, depth + 1);
            } else if (names.get(0).equals("var")) {
                violations.require(names.size() == 2 && validatesArns(names.get(1)),
                        where + ": " + expr.text() + " has no validation refusing wildcards and non-ARNs");
            } else {
                violations.require(isArnReference(expr),
                        where + ": resource must be a resource's ARN, found " + expr.text());
            }
        } else {
            violations.add(where + ": resources cannot be read statically: " + text(expr));
        }
    }

    /** {@code aws_x.name[...].arn}, {@code aws_x.name.attr[0].secret_arn}, or a local holding one. */
    private boolean isArnReference(Expr expr) {
        List<String> names = Hcl.names(expr);
        if (names.size() == 2 && names.get(0).equals("local")) {
            Expr value = module.resolveLocal(expr);
            return value != expr && isArnReference(value);
        }
        if (names.size() < 3 || names.get(0).equals("var") || names.get(0).equals("each")) {
            return false;
        }
        String last = names.get(names.size() - 1);
        return (last.equals("arn") || last.endsWith("_arn")) && module.referencedResource(expr).isPresent();
    }

    private boolean validatesArns(String variable) {
        return module.variable(variable).map(v -> v.body().blocks("validation").stream()
                .map(validation -> validation.body().attribute("condition").map(Expr::text).orElse(""))
                .anyMatch(condition -> condition.contains("regex(") && condition.contains("^arn:")))
                .orElse(false);
    }

    private List<String> noManagedPolicies() {
        Violations violations = new Violations();
        for (String type : List.of("aws_iam_role_policy_attachment", "aws_iam_policy_attachment",
                "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment")) {
            for (Terraform.Located located : module.resources(type)) {
                violations.add(located.where() + ": attached managed policies are not reviewed here; write the"
                        + " policy as a document");
            }
        }
        for (Terraform.Located role : module.resources("aws_iam_role")) {
            violations.require(role.body().attribute("managed_policy_arns").isEmpty(),
                    role.where() + ": managed_policy_arns");
        }
        return violations.list();
    }

    /** One task role and one execution role per service; each grants only what its service needs. */
    public List<String> iamLeastPrivilegePerService() {
        Violations violations = new Violations();
        for (String role : List.of("task", "execution")) {
            Optional<Terraform.Located> located = module.resource("aws_iam_role", role);
            violations.require(located.isPresent(), "aws_iam_role." + role + " is missing");
            located.ifPresent(r -> violations.require(forEachServices(r), r.where() + ": for_each must be"
                    + " local.services (one role per service)"));
        }
        Map<String, List<String>> taskPolicies = new HashMap<>();
        for (Terraform.Located policy : module.resources("aws_iam_role_policy")) {
            Expr roleRef = policy.body().attribute("role").orElse(null);
            List<String> roleNames = Hcl.names(roleRef);
            violations.require(roleNames.size() >= 2 && roleNames.get(0).equals("aws_iam_role"),
                    policy.where() + ": role must reference an aws_iam_role");
            if (roleNames.size() < 2 || !roleNames.get(1).equals("task")) {
                continue;
            }
            String service = indexKey(roleRef).orElse(null);
            if (service == null || !Design.SERVICES.contains(service)) {
                violations.add(policy.where() + ": a task-role policy must name its one service, found "
                        + text(roleRef));
                continue;
            }
            String document = policyDocument(policy).orElse(null);
            violations.require(document != null, policy.where() + ": policy must be an aws_iam_policy_document");
            taskPolicies.computeIfAbsent(service, s -> new ArrayList<>()).add(document);
        }
        for (String service : taskPolicies.keySet()) {
            violations.require(Design.AWS_ROLE.contains(service),
                    service + " calls no AWS API, yet its task role has a policy");
        }
        // crypto-service: the KMS operations of envelope encryption, on the customers' key ARNs (a validated variable).
        Set<String> cryptoActions = new TreeSet<>();
        for (String document : taskPolicies.getOrDefault(Design.CRYPTO, List.of())) {
            for (IamPolicies.Statement statement : statementsOf(document)) {
                List<String> actions = literalStrings(statement.actions());
                if (actions != null) {
                    cryptoActions.addAll(actions);
                }
                violations.require(statement.resources() != null
                                && Hcl.names(statement.resources()).equals(List.of("var", "customer_kms_key_arns")),
                        statement.where() + ": crypto-service's KMS grant must be on var.customer_kms_key_arns");
            }
        }
        violations.require(cryptoActions.equals(CRYPTO_KMS_ACTIONS),
                "crypto-service's task role must grant exactly " + new TreeSet<>(CRYPTO_KMS_ACTIONS) + ", found "
                        + cryptoActions);
        // evidence-service: its bucket's objects, the bucket listing, and the bucket's key through S3 only.
        Set<String> evidenceActions = new TreeSet<>();
        for (String document : taskPolicies.getOrDefault(Design.EVIDENCE, List.of())) {
            for (IamPolicies.Statement statement : statementsOf(document)) {
                List<String> actions = literalStrings(statement.actions());
                if (actions == null) {
                    continue;
                }
                evidenceActions.addAll(actions);
                String resources = text(statement.resources());
                if (actions.stream().anyMatch(a -> a.startsWith("s3:"))) {
                    violations.require(resources.contains("aws_s3_bucket.evidence.arn"),
                            statement.where() + ": evidence-service's S3 grant must be on its bucket");
                }
                if (actions.stream().anyMatch(a -> a.startsWith("kms:"))) {
                    violations.require(viaService(statement, "s3."), statement.where()
                            + ": evidence-service may use the bucket key through S3 only (kms:ViaService)");
                }
            }
        }
        violations.require(Set.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:ListBucket",
                        "kms:GenerateDataKey", "kms:Decrypt").containsAll(evidenceActions)
                        && evidenceActions.containsAll(Set.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject",
                        "s3:ListBucket")),
                "evidence-service's task role must grant its bucket's object actions and listing only, found "
                        + evidenceActions);
        // KMS anywhere else only through a named AWS service (Secrets Manager for the execution roles).
        for (IamPolicies.Statement statement : policies.statements()) {
            List<String> actions = literalStrings(statement.actions());
            boolean kms = actions != null && actions.stream().anyMatch(action -> action.startsWith("kms:"));
            if (kms && statement.allows() && !statement.document().equals("crypto_task")) {
                violations.require(viaService(statement, ""), statement.where()
                        + ": only crypto-service uses KMS directly; anyone else through a service (kms:ViaService)");
            }
        }
        violations.addAll(executionRoles());
        return violations.list();
    }

    private List<String> executionRoles() {
        Violations violations = new Violations();
        Optional<Terraform.Located> document = module.data("aws_iam_policy_document", "execution");
        if (document.isEmpty()) {
            return List.of("data.aws_iam_policy_document.execution is missing");
        }
        violations.require(forEachServices(document.get()), document.get().where() + ": for_each must be"
                + " local.services");
        for (IamPolicies.Statement statement : statementsOf("execution")) {
            List<String> actions = literalStrings(statement.actions());
            if (actions == null || statement.resources() == null) {
                continue;
            }
            if (actions.contains("secretsmanager:GetSecretValue")) {
                Expr resources = module.resolveLocal(statement.resources());
                violations.require(resources != statement.resources() && resources instanceof Expr.For,
                        statement.where() + ": secrets must come from a per-service local (for over the services)");
                if (resources instanceof Expr.For forExpr) {
                    String key = forExpr.keyVar() == null ? forExpr.valueVar() : forExpr.keyVar();
                    violations.require(Hcl.names(forExpr.collection()).equals(List.of("local", "services")),
                            statement.where() + ": the secrets local must range over local.services");
                    eachReference(forExpr.valueExpr(), ref -> {
                        List<String> names = Hcl.names(ref);
                        if (names.size() >= 2 && names.get(0).equals("aws_secretsmanager_secret")
                                && names.get(1).equals("service")) {
                            violations.require(indexText(ref).equals(key), statement.where()
                                    + ": an execution role may read only its own service's secret, found "
                                    + ref.text());
                        }
                    });
                }
                violations.require(Hcl.path(statement.resources()).orElse("").endsWith("[each.key]"),
                        statement.where() + ": the secrets must be indexed by the role's own service");
            } else if (actions.stream().anyMatch(a -> a.startsWith("ecr:") && !STAR_RESOURCE_EXCEPTION.contains(a))) {
                violations.require(text(statement.resources()).contains("aws_ecr_repository.service[each.key].arn"),
                        statement.where() + ": an execution role may pull its own image only");
            } else if (actions.stream().anyMatch(a -> a.startsWith("logs:"))) {
                violations.require(text(statement.resources()).contains("aws_cloudwatch_log_group.service[each.key]"),
                        statement.where() + ": an execution role may write its own log group only");
            }
        }
        return violations.list();
    }

    private boolean viaService(IamPolicies.Statement statement, String prefix) {
        return statement.conditions().stream().anyMatch(condition -> condition.variable().equals("kms:ViaService")
                && condition.test().equals("StringEquals") && text(condition.values()).contains("\"" + prefix));
    }

    private List<IamPolicies.Statement> statementsOf(String document) {
        return policies.statements().stream().filter(s -> s.document().equals(document)).toList();
    }

    private Optional<String> policyDocument(Terraform.Located policy) {
        List<String> names = Hcl.names(policy.body().attribute("policy").orElse(null));
        return names.size() == 4 && names.get(0).equals("data") && names.get(1).equals("aws_iam_policy_document")
                ? Optional.of(names.get(2)) : Optional.empty();
    }

    // ---- the services ----------------------------------------------------------------------------------------

    /** One ECS service, task definition, log group, repository, secret and security group per Spalce service. */
    public List<String> onePerService() {
        Violations violations = new Violations();
        Expr services = module.local("services").orElse(null);
        if (!(services instanceof Expr.ObjectCons object)) {
            return List.of("local.services must be an object literal of the five services");
        }
        Set<String> names = new TreeSet<>();
        object.items().forEach(item -> names.add(Hcl.keyName(item.key()).orElse("?")));
        violations.require(names.equals(new TreeSet<>(Design.SERVICES)),
                "local.services must name exactly " + Design.SERVICES + ", found " + names);
        for (String service : Design.SERVICES) {
            object.get(service).flatMap(value -> value instanceof Expr.ObjectCons o ? o.get("port") : Optional.empty())
                    .flatMap(Hcl::number).ifPresentOrElse(port -> violations.require(
                                    port.intValue() == Design.API_PORT.get(service),
                                    service + " must listen on " + Design.API_PORT.get(service) + ", found " + port),
                            () -> violations.add(service + ": local.services needs a literal port"));
        }
        for (String type : List.of("aws_ecs_service", "aws_ecs_task_definition", "aws_cloudwatch_log_group",
                "aws_ecr_repository", "aws_secretsmanager_secret", "aws_security_group")) {
            Optional<Terraform.Located> perService = module.resources(type).stream().filter(this::forEachServices)
                    .findFirst();
            violations.require(perService.isPresent(), type + ": none with for_each = local.services");
        }
        for (Terraform.Located located : module.resources("aws_ecs_service")) {
            violations.require(forEachServices(located), located.where() + ": ECS services come from local.services");
        }
        return violations.list();
    }

    /** Tasks in private subnets without public addresses, on Fargate, with no shell access. */
    public List<String> ecsTasksPrivate() {
        Violations violations = new Violations();
        List<Terraform.Located> services = module.resources("aws_ecs_service");
        violations.require(!services.isEmpty(), "no aws_ecs_service");
        for (Terraform.Located service : services) {
            Optional<Body.Block> network = service.body().block("network_configuration");
            if (network.isEmpty()) {
                violations.add(service.where() + ": no network_configuration");
                continue;
            }
            violations.require(network.get().body().attribute("assign_public_ip").flatMap(Hcl::bool)
                    .equals(Optional.of(false)), service.where() + ": assign_public_ip must be false");
            violations.addAll(privateSubnets(service.where() + " subnets",
                    network.get().body().attribute("subnets").orElse(null)));
            violations.require(service.body().attribute("launch_type").flatMap(Hcl::string)
                    .equals(Optional.of("FARGATE")), service.where() + ": launch_type must be FARGATE");
            violations.require(service.body().attribute("enable_execute_command").flatMap(Hcl::bool)
                    .equals(Optional.of(false)), service.where() + ": enable_execute_command must be false");
        }
        return violations.list();
    }

    /** RDS: private subnets, not publicly accessible, encrypted with a KMS key, TLS forced, no password in code. */
    public List<String> rdsPrivateAndEncrypted() {
        Violations violations = new Violations();
        List<Terraform.Located> instances = module.resources("aws_db_instance");
        violations.require(!instances.isEmpty(), "no aws_db_instance");
        for (Terraform.Located db : instances) {
            Body body = db.body();
            violations.require(body.attribute("publicly_accessible").flatMap(Hcl::bool).equals(Optional.of(false)),
                    db.where() + ": publicly_accessible must be false");
            violations.require(body.attribute("storage_encrypted").flatMap(Hcl::bool).equals(Optional.of(true)),
                    db.where() + ": storage_encrypted must be true");
            violations.require(body.attribute("kms_key_id").map(this::isArnReference).orElse(false),
                    db.where() + ": kms_key_id must be a KMS key of this module");
            violations.require(body.attribute("password").isEmpty()
                            && body.attribute("manage_master_user_password").flatMap(Hcl::bool).equals(Optional.of(true)),
                    db.where() + ": the master password must be managed by RDS (manage_master_user_password), never"
                            + " written here");
            Optional<Terraform.Located> group = body.attribute("db_subnet_group_name")
                    .flatMap(module::referencedResource);
            if (group.isEmpty() || !group.get().block().label(0).equals("aws_db_subnet_group")) {
                violations.add(db.where() + ": db_subnet_group_name must reference an aws_db_subnet_group");
            } else {
                violations.addAll(privateSubnets(group.get().where() + " subnet_ids",
                        group.get().body().attribute("subnet_ids").orElse(null)));
            }
            Optional<Terraform.Located> parameters = body.attribute("parameter_group_name")
                    .flatMap(module::referencedResource);
            violations.require(parameters.map(p -> p.body().blocks("parameter").stream().anyMatch(parameter ->
                            parameter.body().attribute("name").flatMap(Hcl::string).equals(Optional.of("rds.force_ssl"))
                                    && parameter.body().attribute("value").flatMap(Hcl::string)
                                    .equals(Optional.of("1")))).orElse(false),
                    db.where() + ": its parameter group must set rds.force_ssl = 1");
        }
        return violations.list();
    }

    /** MSK: private subnets, no public access, TLS in transit (client and in cluster), encrypted at rest. */
    public List<String> mskPrivateAndEncrypted() {
        Violations violations = new Violations();
        List<Terraform.Located> clusters = module.resources("aws_msk_cluster");
        violations.require(!clusters.isEmpty(), "no aws_msk_cluster");
        for (Terraform.Located msk : clusters) {
            Optional<Body> brokers = msk.body().block("broker_node_group_info").map(Body.Block::body);
            if (brokers.isEmpty()) {
                violations.add(msk.where() + ": no broker_node_group_info");
                continue;
            }
            violations.addAll(privateSubnets(msk.where() + " client_subnets",
                    brokers.get().attribute("client_subnets").orElse(null)));
            Optional<String> publicAccess = brokers.get().block("connectivity_info")
                    .flatMap(c -> c.body().block("public_access"))
                    .flatMap(p -> p.body().attribute("type")).flatMap(Hcl::string);
            violations.require(publicAccess.isEmpty() || publicAccess.get().equals("DISABLED"),
                    msk.where() + ": public access must be DISABLED");
            Optional<Body> encryption = msk.body().block("encryption_info").map(Body.Block::body);
            violations.require(encryption.flatMap(e -> e.attribute("encryption_at_rest_kms_key_arn"))
                    .map(this::isArnReference).orElse(false), msk.where() + ": encryption at rest with a KMS key");
            Optional<Body> transit = encryption.flatMap(e -> e.block("encryption_in_transit")).map(Body.Block::body);
            violations.require(transit.flatMap(t -> t.attribute("client_broker")).flatMap(Hcl::string)
                    .equals(Optional.of("TLS")), msk.where() + ": client_broker must be TLS");
            violations.require(transit.flatMap(t -> t.attribute("in_cluster")).flatMap(Hcl::bool)
                    .equals(Optional.of(true)), msk.where() + ": in_cluster encryption must be true");
        }
        return violations.list();
    }

    /**
     * The subnets an expression names are private: {@code aws_subnet.X[*].id} where X has no public address
     * on launch and every route table associated with it lacks a route to an internet gateway.
     */
    List<String> privateSubnets(String where, Expr subnets) {
        List<String> names = Hcl.names(subnets);
        if (names.size() != 3 || !names.get(0).equals("aws_subnet") || !names.get(2).equals("id")) {
            return List.of(where + ": must be aws_subnet.<private subnets>[*].id, found " + text(subnets));
        }
        Optional<Terraform.Located> subnet = module.resource("aws_subnet", names.get(1));
        if (subnet.isEmpty()) {
            return List.of(where + ": no aws_subnet." + names.get(1));
        }
        Violations violations = new Violations();
        violations.require(subnet.get().body().attribute("map_public_ip_on_launch").flatMap(Hcl::bool)
                .equals(Optional.of(false)), subnet.get().where() + ": map_public_ip_on_launch must be false");
        List<Terraform.Located> tables = routeTablesOf(names.get(1));
        violations.require(!tables.isEmpty(), where + ": aws_subnet." + names.get(1)
                + " has no route table association");
        for (Terraform.Located table : tables) {
            violations.require(!routesToInternetGateway(table), where + ": aws_subnet." + names.get(1)
                    + " routes to an internet gateway through " + table.where());
        }
        return violations.list();
    }

    private List<Terraform.Located> routeTablesOf(String subnetName) {
        List<Terraform.Located> tables = new ArrayList<>();
        for (Terraform.Located association : module.resources("aws_route_table_association")) {
            List<String> subnet = Hcl.names(association.body().attribute("subnet_id").orElse(null));
            if (subnet.size() >= 2 && subnet.get(0).equals("aws_subnet") && subnet.get(1).equals(subnetName)) {
                association.body().attribute("route_table_id").flatMap(module::referencedResource)
                        .ifPresent(tables::add);
            }
        }
        return tables;
    }

    private boolean routesToInternetGateway(Terraform.Located table) {
        for (Body.Block route : table.body().blocks("route")) {
            if (route.body().attribute("gateway_id").map(Hcl::names)
                    .filter(n -> !n.isEmpty() && n.get(0).equals("aws_internet_gateway")).isPresent()) {
                return true;
            }
        }
        for (Terraform.Located route : module.resources("aws_route")) {
            List<String> target = Hcl.names(route.body().attribute("route_table_id").orElse(null));
            boolean sameTable = target.size() >= 2 && target.get(1).equals(table.block().label(1));
            boolean toIgw = route.body().attribute("gateway_id").map(Hcl::names)
                    .filter(n -> !n.isEmpty() && n.get(0).equals("aws_internet_gateway")).isPresent();
            if (sameTable && toIgw) {
                return true;
            }
        }
        return false;
    }

    // ---- the way in ------------------------------------------------------------------------------------------

    /** HTTPS listeners with a TLS 1.2/1.3 policy; HTTP listeners only redirect to HTTPS; backends over HTTPS. */
    public List<String> loadBalancerTls() {
        Violations violations = new Violations();
        List<Terraform.Located> listeners = module.resources("aws_lb_listener");
        boolean https = false;
        boolean http = false;
        for (Terraform.Located listener : listeners) {
            String protocol = listener.body().attribute("protocol").flatMap(Hcl::string).orElse("?");
            if (protocol.equals("HTTPS")) {
                https = true;
                String policy = listener.body().attribute("ssl_policy").flatMap(Hcl::string).orElse("(none)");
                violations.require(TLS_POLICIES.contains(policy),
                        listener.where() + ": ssl_policy must allow TLS 1.2 and 1.3 only, found " + policy);
                violations.require(listener.body().attribute("certificate_arn").isPresent(),
                        listener.where() + ": no certificate_arn");
            } else if (protocol.equals("HTTP")) {
                http = true;
                Optional<Body> action = listener.body().block("default_action").map(Body.Block::body);
                Optional<Body> redirect = action.flatMap(a -> a.block("redirect")).map(Body.Block::body);
                violations.require(action.flatMap(a -> a.attribute("type")).flatMap(Hcl::string)
                                .equals(Optional.of("redirect"))
                                && redirect.flatMap(r -> r.attribute("protocol")).flatMap(Hcl::string)
                                .equals(Optional.of("HTTPS"))
                                && redirect.flatMap(r -> r.attribute("port")).flatMap(Hcl::string)
                                .equals(Optional.of("443"))
                                && redirect.flatMap(r -> r.attribute("status_code")).flatMap(Hcl::string)
                                .equals(Optional.of("HTTP_301")),
                        listener.where() + ": an HTTP listener may only redirect to HTTPS 443 (HTTP_301)");
                violations.require(listener.body().blocks("default_action").size() == 1
                                && module.resources("aws_lb_listener_rule").stream().noneMatch(rule ->
                                Hcl.names(rule.body().attribute("listener_arn").orElse(null))
                                        .contains(listener.block().label(1))),
                        listener.where() + ": an HTTP listener has no other action or rule");
            } else {
                violations.add(listener.where() + ": listener protocol must be HTTP or HTTPS, found " + protocol);
            }
        }
        violations.require(https, "no HTTPS listener");
        violations.require(http, "no HTTP listener redirecting to HTTPS");
        for (Terraform.Located group : module.resources("aws_lb_target_group")) {
            violations.require(group.body().attribute("protocol").flatMap(Hcl::string).equals(Optional.of("HTTPS")),
                    group.where() + ": the load balancer must reach the gateway over HTTPS");
        }
        for (Terraform.Located lb : module.resources("aws_lb")) {
            boolean internetFacing = lb.body().attribute("internal").flatMap(Hcl::bool).equals(Optional.of(false));
            if (internetFacing) {
                violations.require(lb.body().attribute("drop_invalid_header_fields").flatMap(Hcl::bool)
                        .equals(Optional.of(true)), lb.where() + ": drop_invalid_header_fields must be true");
                String idle = lb.body().attribute("idle_timeout").map(Expr::text).orElse("");
                violations.require(idle.matches("[0-9]{1,4}") && Integer.parseInt(idle) >= Design.MIN_IDLE_TIMEOUT_SECONDS,
                        lb.where() + ": idle_timeout must be at least " + Design.MIN_IDLE_TIMEOUT_SECONDS
                                + " seconds (long uploads and downloads; the default is 60), found "
                                + (idle.isEmpty() ? "none" : idle));
                List<String> subnets = Hcl.names(lb.body().attribute("subnets").orElse(null));
                violations.require(subnets.size() == 3 && subnets.get(1).equals("public"),
                        lb.where() + ": an internet-facing load balancer belongs in the public subnets");
            }
        }
        return violations.list();
    }

    /** Every internet-facing load balancer is associated with a web ACL running the AWS managed rule groups. */
    public List<String> wafOnLoadBalancer() {
        Violations violations = new Violations();
        List<Terraform.Located> facing = module.resources("aws_lb").stream()
                .filter(lb -> !lb.body().attribute("internal").flatMap(Hcl::bool).orElse(false)).toList();
        violations.require(!facing.isEmpty(), "no internet-facing load balancer");
        for (Terraform.Located lb : facing) {
            Optional<Terraform.Located> association = module.resources("aws_wafv2_web_acl_association").stream()
                    .filter(a -> Hcl.names(a.body().attribute("resource_arn").orElse(null))
                            .equals(List.of("aws_lb", lb.block().label(1), "arn")))
                    .findFirst();
            if (association.isEmpty()) {
                violations.add(lb.where() + ": no aws_wafv2_web_acl_association with resource_arn = its arn");
                continue;
            }
            Optional<Terraform.Located> acl = association.get().body().attribute("web_acl_arn")
                    .flatMap(module::referencedResource)
                    .filter(r -> r.block().label(0).equals("aws_wafv2_web_acl"));
            if (acl.isEmpty()) {
                violations.add(association.get().where() + ": web_acl_arn must reference an aws_wafv2_web_acl");
                continue;
            }
            violations.require(acl.get().body().attribute("scope").flatMap(Hcl::string)
                    .equals(Optional.of("REGIONAL")), acl.get().where() + ": scope must be REGIONAL");
            Set<String> groups = new TreeSet<>();
            for (Body.Block rule : acl.get().body().blocks("rule")) {
                Optional<Body> managed = rule.body().block("statement")
                        .flatMap(s -> s.body().block("managed_rule_group_statement")).map(Body.Block::body);
                if (managed.isEmpty()) {
                    continue;
                }
                String name = managed.get().attribute("name").flatMap(Hcl::string).orElse("?");
                boolean enforced = rule.body().block("override_action")
                        .map(o -> o.body().block("none").isPresent()).orElse(false);
                violations.require(enforced, acl.get().where() + ": rule group " + name
                        + " must block (override_action none), not only count");
                if (enforced) {
                    groups.add(name);
                }
            }
            violations.require(groups.containsAll(WAF_RULE_GROUPS), acl.get().where() + ": the web ACL must run "
                    + new TreeSet<>(WAF_RULE_GROUPS) + ", found " + groups);
        }
        return violations.list();
    }

    /** The evidence bucket: public access blocked, ACLs off, SSE-KMS, versioning, TLS-only bucket policy. */
    public List<String> evidenceBucketLockedDown() {
        Violations violations = new Violations();
        List<Terraform.Located> buckets = module.resources("aws_s3_bucket");
        violations.require(!buckets.isEmpty(), "no aws_s3_bucket");
        for (Terraform.Located bucket : buckets) {
            String name = bucket.block().label(1);
            Optional<Terraform.Located> block = bucketConfig("aws_s3_bucket_public_access_block", name);
            for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
                    "restrict_public_buckets")) {
                violations.require(block.flatMap(b -> b.body().attribute(setting)).flatMap(Hcl::bool)
                        .equals(Optional.of(true)), bucket.where() + ": public access block " + setting + " = true");
            }
            violations.require(bucketConfig("aws_s3_bucket_ownership_controls", name)
                    .flatMap(c -> c.body().block("rule")).flatMap(r -> r.body().attribute("object_ownership"))
                    .flatMap(Hcl::string).equals(Optional.of("BucketOwnerEnforced")),
                    bucket.where() + ": object ownership BucketOwnerEnforced (no ACLs)");
            Optional<Body> sse = bucketConfig("aws_s3_bucket_server_side_encryption_configuration", name)
                    .flatMap(c -> c.body().block("rule"))
                    .flatMap(r -> r.body().block("apply_server_side_encryption_by_default")).map(Body.Block::body);
            violations.require(sse.flatMap(s -> s.attribute("sse_algorithm")).flatMap(Hcl::string)
                    .equals(Optional.of("aws:kms")) && sse.flatMap(s -> s.attribute("kms_master_key_id"))
                    .map(this::isArnReference).orElse(false), bucket.where() + ": SSE-KMS with a key of this module");
            violations.require(bucketConfig("aws_s3_bucket_versioning", name)
                    .flatMap(v -> v.body().block("versioning_configuration"))
                    .flatMap(v -> v.body().attribute("status")).flatMap(Hcl::string).equals(Optional.of("Enabled")),
                    bucket.where() + ": versioning Enabled");
            Optional<String> document = bucketConfig("aws_s3_bucket_policy", name)
                    .flatMap(p -> p.body().attribute("policy")).map(Hcl::names)
                    .filter(n -> n.size() == 4 && n.get(1).equals("aws_iam_policy_document")).map(n -> n.get(2));
            boolean tlsOnly = document.map(d -> statementsOf(d).stream().anyMatch(s -> !s.allows()
                    && Set.copyOf(Optional.ofNullable(literalStrings(s.actions())).orElse(List.of())).contains("s3:*")
                    && text(s.resources()).contains("aws_s3_bucket." + name + ".arn")
                    && text(s.resources()).contains("aws_s3_bucket." + name + ".arn}/*")
                    && s.conditions().stream().anyMatch(c -> c.test().equals("Bool")
                    && c.variable().equals("aws:SecureTransport") && text(c.values()).equals("[\"false\"]"))))
                    .orElse(false);
            violations.require(tlsOnly, bucket.where() + ": a bucket policy (aws_iam_policy_document) denying s3:*"
                    + " on the bucket and its objects when aws:SecureTransport is false");
            boolean onlyKms = document.map(d -> statementsOf(d).stream().anyMatch(s -> !s.allows()
                    && Optional.ofNullable(literalStrings(s.actions())).orElse(List.of()).contains("s3:PutObject")
                    && text(s.resources()).contains("aws_s3_bucket." + name + ".arn}/*")
                    && s.conditions().stream().anyMatch(c -> c.test().equals("StringNotEquals")
                    && c.variable().equals("s3:x-amz-server-side-encryption") && text(c.values()).equals("[\"aws:kms\"]"))))
                    .orElse(false);
            violations.require(onlyKms, bucket.where() + ": a bucket policy statement denying s3:PutObject with a"
                    + " server-side encryption other than aws:kms (evidence-service's own default is AES256)");
        }
        return violations.list();
    }

    private Optional<Terraform.Located> bucketConfig(String type, String bucketName) {
        return module.resources(type).stream().filter(config -> Hcl.names(config.body().attribute("bucket")
                .orElse(null)).equals(List.of("aws_s3_bucket", bucketName, "id"))).findFirst();
    }

    // ---- network -----------------------------------------------------------------------------------------

    /**
     * Security groups: service-to-service rules exactly as the design's calls; the database, the brokers and
     * the KMS endpoint reachable from the Spalce tasks (KMS: crypto-service) only; nothing but the load
     * balancer open to an address range.
     */
    public List<String> securityGroupFlows() {
        Violations violations = new Violations();
        Expr calls = module.local("calls").orElse(null);
        if (!(calls instanceof Expr.ObjectCons object)) {
            return List.of("local.calls must be an object literal of who calls whom");
        }
        Map<String, Set<String>> written = new HashMap<>();
        for (Expr.ObjectCons.Item item : object.items()) {
            Set<String> targets = new TreeSet<>(Optional.ofNullable(literalStrings(item.value())).orElse(List.of("?")));
            written.put(Hcl.keyName(item.key()).orElse("?"), targets);
        }
        Map<String, Set<String>> expected = new HashMap<>();
        Design.CALLS.forEach((from, to) -> expected.put(from, new TreeSet<>(to)));
        violations.require(written.equals(expected), "local.calls must be the design's flows " + expected
                + ", found " + written);
        for (String type : List.of("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")) {
            for (Terraform.Located rule : module.resources(type)) {
                Body body = rule.body();
                List<String> group = Hcl.names(body.attribute("security_group_id").orElse(null));
                String groupName = group.size() >= 2 ? group.get(1) : "?";
                violations.require(body.attribute("ip_protocol").flatMap(Hcl::string).filter(p -> !p.equals("-1"))
                        .isPresent(), rule.where() + ": a rule must name its protocol (not all traffic)");
                violations.require(body.attribute("from_port").isPresent() && body.attribute("from_port")
                        .map(Expr::text).equals(body.attribute("to_port").map(Expr::text)),
                        rule.where() + ": one port per rule");
                boolean ingress = type.endsWith("ingress_rule");
                boolean range = body.attribute("cidr_ipv4").isPresent() || body.attribute("cidr_ipv6").isPresent()
                        || body.attribute("prefix_list_id").isPresent();
                if (ingress && range) {
                    violations.require(groupName.equals("alb") && Set.of("80", "443").contains(
                                    body.attribute("from_port").map(Expr::text).orElse("?")),
                            rule.where() + ": only the load balancer takes connections from an address range");
                }
                if (ingress && !range) {
                    violations.require(body.attribute("referenced_security_group_id").isPresent(),
                            rule.where() + ": an ingress rule names its peer security group");
                }
                if (ingress && groupName.equals("kms_endpoint")) {
                    violations.require(text(body.attribute("referenced_security_group_id").orElse(null))
                            .equals("aws_security_group.service[\"crypto-service\"].id"),
                            rule.where() + ": the KMS endpoint admits crypto-service only");
                }
                if (ingress && (groupName.equals("rds") || groupName.equals("msk") || groupName.equals("endpoints"))) {
                    violations.require(text(body.attribute("referenced_security_group_id").orElse(null))
                                    .equals("aws_security_group.service[each.key].id") && forEachServices(rule),
                            rule.where() + ": " + groupName + " admits the Spalce services' groups only");
                }
            }
        }
        for (Terraform.Located group : module.resources("aws_security_group")) {
            violations.require(group.body().blocks("ingress").isEmpty() && group.body().blocks("egress").isEmpty(),
                    group.where() + ": write rules as separate aws_vpc_security_group_*_rule resources (checked one"
                            + " by one)");
        }
        violations.require(!module.resources("aws_security_group_rule").stream().findAny().isPresent(),
                "aws_security_group_rule: use aws_vpc_security_group_ingress_rule/egress_rule");
        return violations.list();
    }

    /** The tasks reach S3, Secrets Manager, ECR, CloudWatch Logs and KMS through VPC endpoints. */
    public List<String> vpcEndpoints() {
        Violations violations = new Violations();
        Set<String> services = new TreeSet<>();
        for (Terraform.Located endpoint : module.resources("aws_vpc_endpoint")) {
            String service = endpoint.body().attribute("service_name").map(Expr::text).orElse("");
            Optional<Expr> forEach = endpoint.body().attribute("for_each");
            if (service.contains("${each.key}") && forEach.isPresent()) {
                Expr keys = forEach.get() instanceof Expr.Call call && call.name().equals("toset")
                        ? call.args().get(0) : forEach.get();
                Optional.ofNullable(literalStrings(keys)).ifPresent(services::addAll);
            } else {
                int dot = service.lastIndexOf("}.");
                services.add(dot < 0 ? service : service.substring(dot + 2, service.length() - 1));
            }
            boolean gateway = endpoint.body().attribute("vpc_endpoint_type").flatMap(Hcl::string)
                    .equals(Optional.of("Gateway"));
            if (!gateway) {
                violations.require(endpoint.body().attribute("private_dns_enabled").flatMap(Hcl::bool)
                        .equals(Optional.of(true)), endpoint.where() + ": private_dns_enabled must be true");
                violations.require(Hcl.names(endpoint.body().attribute("subnet_ids").orElse(null))
                        .equals(List.of("aws_subnet", "private", "id")), endpoint.where()
                        + ": interface endpoints belong in the private subnets");
            }
        }
        violations.require(services.containsAll(Set.of("s3", "secretsmanager", "ecr.api", "ecr.dkr", "logs", "kms")),
                "VPC endpoints needed for s3, secretsmanager, ecr.api, ecr.dkr, logs and kms; found " + services);
        return violations.list();
    }

    // ---- secrets and containers ----------------------------------------------------------------------------

    /**
     * No secret value anywhere in the code or state: no secret versions, no literal passwords; containers get
     * secrets through {@code secrets} (Secrets Manager) only, and run read-only, non-root, without capabilities;
     * each service gets its configuration, one internal-token public key shared by all, and its files (the RDS
     * CA bundle, the gateway's TLS key pair) mounted read-only from volumes its init containers write.
     */
    public List<String> secretsAndContainers() {
        Violations violations = new Violations();
        violations.require(module.resources("aws_secretsmanager_secret_version").isEmpty(),
                "aws_secretsmanager_secret_version: a secret value would be in the code and the state");
        for (Terraform.Located located : module.blocks("resource")) {
            scanLiteralSecrets(located, located.body(), violations);
        }
        for (Terraform.Located variable : module.blocks("variable")) {
            String name = variable.block().label(0);
            String upper = name.toUpperCase(java.util.Locale.ROOT);
            if (Design.SECRET_NAME.matcher(upper).matches()
                    && !upper.matches(".*_(ARN|ARNS|ID|IDS|NAME|PREFIX)$")) {
                violations.add(variable.where() + ": a secret must not be a Terraform variable (it would be in the"
                        + " state); put it in Secrets Manager");
            }
        }
        Expr app = module.local("app_container").orElse(null);
        Expr init = module.local("gateway_tls_init").orElse(null);
        Expr dbCaInit = module.local("db_ca_init").orElse(null);
        // The volumes the init containers write: the application must mount its files from one of them.
        Set<String> written = new TreeSet<>();
        if (init instanceof Expr.ObjectCons initObject) {
            checkContainer("local.gateway_tls_init", initObject, null, violations);
            written.addAll(writtenVolumes(initObject));
        } else if (init != null) {
            violations.add("local.gateway_tls_init must be an object literal");
        }
        if (dbCaInit instanceof Expr.For forExpr && forExpr.valueExpr() instanceof Expr.ObjectCons initObject
                && Hcl.names(forExpr.collection()).equals(List.of("local", "services"))) {
            checkContainer("local.db_ca_init", initObject, null, violations);
            written.addAll(writtenVolumes(initObject));
        } else {
            violations.add("local.db_ca_init must be {for name, service in local.services : name => {...}}: every"
                    + " service's task writes the RDS CA bundle into its db-ca volume");
        }
        Expr.ObjectCons appObject = null;
        if (app instanceof Expr.For forExpr) {
            if (forExpr.valueExpr() instanceof Expr.ObjectCons object) {
                appObject = object;
            } else if (forExpr.valueExpr() instanceof Expr.Call merge && merge.name().equals("merge")
                    && !merge.args().isEmpty() && merge.args().get(0) instanceof Expr.ObjectCons object) {
                appObject = object;
            }
        }
        if (appObject == null) {
            violations.add("local.app_container must be {for name, service in local.services : name => {...}} (or"
                    + " merge({...}, ...))");
        } else {
            Expr.For forExpr = (Expr.For) app;
            violations.require(Hcl.names(forExpr.collection()).equals(List.of("local", "services")),
                    "local.app_container must range over local.services");
            String key = forExpr.keyVar() == null ? forExpr.valueVar() : forExpr.keyVar();
            checkContainer("local.app_container", appObject, key, violations);
            checkAppFiles(appObject, key, written, violations);
        }
        for (Terraform.Located task : module.resources("aws_ecs_task_definition")) {
            Expr definitions = task.body().attribute("container_definitions").orElse(null);
            if (!(definitions instanceof Expr.Call call) || !call.name().equals("jsonencode")) {
                violations.add(task.where() + ": container_definitions must be jsonencode(...) of the checked locals");
                continue;
            }
            Set<String> referenced = new TreeSet<>();
            eachReference(definitions, ref -> {
                List<String> names = Hcl.names(ref);
                if (names.size() >= 2 && names.get(0).equals("local")) {
                    referenced.add(names.get(1));
                }
            });
            violations.require(Set.of("app_container", "gateway_tls_init", "db_ca_init").containsAll(referenced)
                            && referenced.containsAll(Set.of("app_container", "db_ca_init"))
                            && !containsObject(definitions),
                    task.where() + ": containers must come from local.app_container / local.db_ca_init /"
                            + " local.gateway_tls_init (app_container and db_ca_init in every task), found "
                            + referenced);
            violations.require(task.body().attribute("requires_compatibilities").map(Expr::text)
                    .equals(Optional.of("[\"FARGATE\"]")), task.where() + ": requires_compatibilities FARGATE");
            violations.require(task.body().attribute("network_mode").flatMap(Hcl::string)
                    .equals(Optional.of("awsvpc")), task.where() + ": network_mode awsvpc");
            violations.require(Hcl.path(task.body().attribute("task_role_arn").orElse(null))
                            .equals(Optional.of("aws_iam_role.task[each.key].arn"))
                            && Hcl.path(task.body().attribute("execution_role_arn").orElse(null))
                            .equals(Optional.of("aws_iam_role.execution[each.key].arn")),
                    task.where() + ": each task runs with its own service's task and execution roles");
        }
        return violations.list();
    }

    /**
     * Checks one container definition; {@code serviceVar} is the name the application container's for
     * expression binds to the service (null for an init container: the gateway's tls-init, db-ca-init).
     */
    private void checkContainer(String where, Expr.ObjectCons container, String serviceVar, Violations violations) {
        boolean app = serviceVar != null;
        violations.require(container.get("readonlyRootFilesystem").flatMap(Hcl::bool).equals(Optional.of(true)),
                where + ": readonlyRootFilesystem must be true");
        String user = container.get("user").flatMap(Hcl::string).orElse("");
        violations.require(user.matches("[1-9][0-9]*(:[0-9]+)?"), where + ": user must be a numeric non-root uid,"
                + " found " + (user.isEmpty() ? "none" : user));
        violations.require(container.get("privileged").flatMap(Hcl::bool).orElse(false).equals(false),
                where + ": privileged");
        boolean dropsAll = container.get("linuxParameters")
                .flatMap(p -> p instanceof Expr.ObjectCons o ? o.get("capabilities") : Optional.empty())
                .flatMap(c -> c instanceof Expr.ObjectCons o ? o.get("drop") : Optional.empty())
                .map(TerraformChecks::literalStrings).map(drop -> drop != null && drop.contains("ALL")).orElse(false);
        violations.require(dropsAll, where + ": linuxParameters.capabilities.drop must include ALL");
        List<String> services = app ? Design.SERVICES : List.of("(init)");
        Map<String, Map<String, String>> sharedSources = new TreeMap<>();
        for (String service : services) {
            Map<String, String> binding = app ? Map.of(serviceVar, service) : Map.of();
            String at = app ? where + "[" + service + "]" : where;
            List<Expr.ObjectCons> environment = new ArrayList<>();
            container.get("environment").ifPresent(env -> collectEntries(env, environment, binding, 0));
            Set<String> names = new TreeSet<>();
            for (Expr.ObjectCons entry : environment) {
                String name = entry.get("name").flatMap(Hcl::string).orElse("?");
                names.add(name);
                violations.require(!Design.SECRET_NAME.matcher(name).matches(), at + ": " + name
                        + " is a secret: it belongs in secrets (Secrets Manager), not environment");
            }
            List<Expr.ObjectCons> secrets = new ArrayList<>();
            container.get("secrets").ifPresent(s -> collectEntries(s, secrets, binding, 0));
            violations.require(!app || !secrets.isEmpty(), at + ": no secrets from Secrets Manager");
            for (Expr.ObjectCons secret : secrets) {
                Expr from = secret.get("valueFrom").orElse(null);
                boolean fromSecretsManager = from instanceof Expr.Template template
                        && template.parts().get(0) instanceof Expr ref && isSecretArn(ref);
                violations.require(fromSecretsManager, at + ": secret " + secret.get("name").map(Expr::text)
                        .orElse("?") + " must come from a Secrets Manager secret of this module, found " + text(from));
                names.add(secret.get("name").flatMap(Hcl::string).orElse("?"));
            }
            if (app) {
                Set<String> needed = new TreeSet<>(Design.COMMON_ENV);
                needed.addAll(Design.SERVICE_ENV.get(service));
                needed.removeAll(names);
                violations.require(needed.isEmpty(), at + ": missing configuration " + needed);
                for (String retired : Design.RETIRED_ENV) {
                    violations.require(!names.contains(retired), at + ": " + retired + " is no longer read (the"
                            + " gateway reads its key pair from SPALCE_TLS_CERTIFICATE and SPALCE_TLS_KEY)");
                }
                Design.ONLY_ENV.forEach((name, owner) -> violations.require(owner.equals(service)
                        || !names.contains(name), at + ": " + name + " belongs to " + owner + " only"));
                for (Expr.ObjectCons secret : secrets) {
                    String name = secret.get("name").flatMap(Hcl::string).orElse("?");
                    if (!Design.SHARED_ENV.contains(name)) {
                        continue;
                    }
                    Expr from = secret.get("valueFrom").orElse(null);
                    sharedSources.computeIfAbsent(name, n -> new TreeMap<>()).put(service, text(from));
                    List<String> perService = new ArrayList<>();
                    perResourceInstance(from, perService, 0);
                    violations.require(perService.isEmpty(), at + ": " + name + " must come from one secret for"
                            + " every service, not a per-service one: " + perService);
                }
            }
        }
        sharedSources.forEach((name, byService) -> violations.require(new TreeSet<>(byService.values()).size() == 1,
                where + ": " + name + " must come from one source for every service, found " + byService));
    }

    /**
     * The application container's files: the RDS CA bundle for every service and the gateway's TLS key pair,
     * at the paths their settings name, mounted read-only from volumes an init container writes.
     */
    private void checkAppFiles(Expr.ObjectCons container, String serviceVar, Set<String> written,
                               Violations violations) {
        for (String service : Design.SERVICES) {
            Map<String, String> binding = Map.of(serviceVar, service);
            String at = "local.app_container[" + service + "]";
            Map<String, String> values = new HashMap<>();
            List<Expr.ObjectCons> environment = new ArrayList<>();
            container.get("environment").ifPresent(env -> collectEntries(env, environment, binding, 0));
            Map<String, String> expressions = new HashMap<>();
            for (Expr.ObjectCons entry : environment) {
                entry.get("name").flatMap(Hcl::string).ifPresent(name -> {
                    values.put(name, entry.get("value").flatMap(Hcl::string).orElse("(computed)"));
                    expressions.put(name, entry.get("value").map(Expr::text).orElse("?"));
                });
            }
            Design.SAME_AS_ENV.forEach((key, other) -> violations.require(!expressions.containsKey(key)
                    || expressions.get(key).equals(expressions.get(other)), at + ": " + key + " must be the same as "
                    + other + ", found " + expressions.get(key) + " and " + expressions.get(other)));
            Map<String, String> expected = new TreeMap<>(Design.DB_CA_ENV);
            expected.putAll(Design.FIXED_ENV.getOrDefault(service, Map.of()));
            Map<String, String> directories = new TreeMap<>(Map.of(Design.DB_CA_DIR, "the database's CA bundle"));
            if (service.equals(Design.GATEWAY)) {
                expected.putAll(Design.GATEWAY_TLS_ENV);
                directories.put(Design.TLS_DIR, "the TLS key pair");
            }
            expected.forEach((key, value) -> violations.require(value.equals(values.get(key)),
                    at + ": " + key + " must be " + value + ", found " + values.get(key)));
            List<Expr.ObjectCons> mounts = new ArrayList<>();
            container.get("mountPoints").ifPresent(m -> collectEntries(m, mounts, binding, 0, "containerPath"));
            directories.forEach((directory, what) -> {
                Optional<Expr.ObjectCons> mount = mounts.stream().filter(m -> m.get("containerPath")
                        .flatMap(Hcl::string).equals(Optional.of(directory))).findFirst();
                violations.require(mount.flatMap(m -> m.get("readOnly")).flatMap(Hcl::bool).equals(Optional.of(true)),
                        at + ": " + what + " must be mounted read-only at " + directory);
                String volume = mount.flatMap(m -> m.get("sourceVolume")).flatMap(Hcl::string).orElse("?");
                violations.require(mount.isEmpty() || written.contains(volume), at + ": volume " + volume + " at "
                        + directory + " is written by no init container (" + written + ")");
            });
        }
    }

    /** References (through locals too) to resources with for_each or count: one instance per key. */
    private void perResourceInstance(Expr expr, List<String> into, int depth) {
        if (depth > 8) {
            into.add("(too deep to read)");
            return;
        }
        eachReference(expr, ref -> {
            List<String> names = Hcl.names(ref);
            if (names.size() >= 2 && names.get(0).equals("local")) {
                perResourceInstance(module.resolveLocal(ref), into, depth + 1);
            } else {
                module.referencedResource(ref).filter(r -> r.body().attribute("for_each").isPresent()
                        || r.body().attribute("count").isPresent()).ifPresent(r -> into.add(ref.text()));
            }
        });
    }

    /** The volumes a container mounts writable. */
    private Set<String> writtenVolumes(Expr.ObjectCons container) {
        List<Expr.ObjectCons> mounts = new ArrayList<>();
        container.get("mountPoints").ifPresent(m -> collectEntries(m, mounts, Map.of(), 0, "containerPath"));
        Set<String> volumes = new TreeSet<>();
        for (Expr.ObjectCons mount : mounts) {
            if (!mount.get("readOnly").flatMap(Hcl::bool).orElse(false)) {
                mount.get("sourceVolume").flatMap(Hcl::string).ifPresent(volumes::add);
            }
        }
        return volumes;
    }

    private boolean isSecretArn(Expr ref) {
        List<String> names = Hcl.names(ref);
        if (names.size() == 2 && names.get(0).equals("local")) {
            return isSecretArn(module.resolveLocal(ref));
        }
        return names.size() >= 3 && (names.get(0).equals("aws_secretsmanager_secret") && names.get(2).equals("arn")
                || names.get(0).equals("aws_db_instance") && names.contains("master_user_secret")
                && names.get(names.size() - 1).equals("secret_arn"));
    }

    /**
     * The objects with a {@code name} that a list expression yields for one service: tuples, concat, locals,
     * per-service maps indexed by the bound service, and conditionals on the service's name.
     */
    private void collectEntries(Expr expr, List<Expr.ObjectCons> into, Map<String, String> binding, int depth) {
        collectEntries(expr, into, binding, depth, "name");
    }

    /** As above, for the objects that have {@code field} (mount points have a containerPath, not a name). */
    private void collectEntries(Expr expr, List<Expr.ObjectCons> into, Map<String, String> binding, int depth,
                                String field) {
        if (depth > 12 || expr == null) {
            return;
        }
        if (expr instanceof Expr.ObjectCons object) {
            if (object.get(field).isPresent()) {
                into.add(object);
            } else {
                object.items().forEach(item -> collectEntries(item.value(), into, binding, depth + 1, field));
            }
        } else if (expr instanceof Expr.Tuple tuple) {
            tuple.items().forEach(item -> collectEntries(item, into, binding, depth + 1, field));
        } else if (expr instanceof Expr.Call call) {
            call.args().forEach(arg -> collectEntries(arg, into, binding, depth + 1, field));
        } else if (expr instanceof Expr.Conditional conditional) {
            Optional<Boolean> decided = decide(conditional.condition(), binding);
            if (decided.isEmpty() || decided.get()) {
                collectEntries(conditional.ifTrue(), into, binding, depth + 1, field);
            }
            if (decided.isEmpty() || !decided.get()) {
                collectEntries(conditional.ifFalse(), into, binding, depth + 1, field);
            }
        } else if (expr instanceof Expr.For forExpr) {
            collectEntries(forExpr.valueExpr(), into, binding, depth + 1, field);
        } else if (Hcl.names(expr).size() >= 2 && Hcl.names(expr).get(0).equals("local")) {
            Expr value = module.resolveLocal(expr);
            String index = indexText(expr);
            Optional<String> key = Hcl.string(Hcl.parseExpression(index.isEmpty() ? "null" : index))
                    .or(() -> Optional.ofNullable(binding.get(index)));
            if (value instanceof Expr.ObjectCons object && key.isPresent()) {
                object.get(key.get()).ifPresent(v -> collectEntries(v, into, binding, depth + 1, field));
            } else {
                collectEntries(value, into, binding, depth + 1, field);
            }
        }
    }

    /** {@code var == "literal"} (or !=) with {@code var} bound to a service; empty when it cannot tell. */
    private static Optional<Boolean> decide(Expr condition, Map<String, String> binding) {
        if (condition instanceof Expr.Operation operation && operation.operands().size() == 2
                && (operation.operator().equals("==") || operation.operator().equals("!="))) {
            String bound = binding.get(operation.operands().get(0).text());
            Optional<String> literal = Hcl.string(operation.operands().get(1));
            if (bound != null && literal.isPresent()) {
                return Optional.of(bound.equals(literal.get()) == operation.operator().equals("=="));
            }
        }
        return Optional.empty();
    }

    private void scanLiteralSecrets(Terraform.Located located, Body body, Violations violations) {
        for (Body.Attribute attribute : body.attributes().values()) {
            String name = attribute.name().toUpperCase(java.util.Locale.ROOT);
            boolean secretName = Design.SECRET_NAME.matcher(name).matches() && !name.endsWith("_ARN")
                    && !name.endsWith("_ID") && !name.startsWith("MANAGE_");
            if (secretName && Hcl.string(attribute.expr()).isPresent()) {
                violations.add(located.where() + ": " + attribute.name() + " holds a literal secret");
            }
        }
        for (Body.Block nested : body.blocks()) {
            scanLiteralSecrets(located, nested.body(), violations);
        }
    }

    // ---- hygiene ----------------------------------------------------------------------------------------------

    /** Log groups keep logs for a set time; KMS keys rotate; versions are pinned. */
    public List<String> logsKeysAndVersions() {
        Violations violations = new Violations();
        List<Terraform.Located> groups = module.resources("aws_cloudwatch_log_group");
        violations.require(!groups.isEmpty(), "no aws_cloudwatch_log_group");
        for (Terraform.Located group : groups) {
            violations.require(group.body().attribute("retention_in_days").isPresent(),
                    group.where() + ": retention_in_days must be set");
        }
        for (Terraform.Located key : module.resources("aws_kms_key")) {
            violations.require(key.body().attribute("enable_key_rotation").flatMap(Hcl::bool)
                    .equals(Optional.of(true)), key.where() + ": enable_key_rotation must be true");
        }
        Optional<Body> terraform = module.blocks("terraform").stream().findFirst().map(Terraform.Located::body);
        violations.require(terraform.flatMap(t -> t.attribute("required_version")).flatMap(Hcl::string)
                .filter(v -> v.startsWith(">= 1.")).isPresent(), "terraform.required_version must be >= 1.5");
        violations.require(terraform.flatMap(t -> t.block("required_providers")).flatMap(p -> p.body().attribute("aws"))
                .filter(aws -> aws instanceof Expr.ObjectCons).flatMap(aws -> ((Expr.ObjectCons) aws).get("version"))
                .flatMap(Hcl::string).equals(Optional.of("~> 5.0")), "the aws provider must be pinned to ~> 5.0");
        return violations.list();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private boolean forEachServices(Terraform.Located located) {
        return located.body().attribute("for_each").map(Hcl::names)
                .equals(Optional.of(List.of("local", "services")));
    }

    /** The literal key of a reference's first index step: {@code aws_iam_role.task["crypto-service"]}. */
    private static Optional<String> indexKey(Expr expr) {
        if (expr instanceof Expr.Traversal traversal) {
            for (Expr.Step step : traversal.steps()) {
                if (step instanceof Expr.Step.Index index) {
                    return Hcl.string(index.key());
                }
            }
        }
        return Optional.empty();
    }

    /** The source text of a reference's first index step: {@code name} in {@code x.service[name].arn}. */
    private static String indexText(Expr expr) {
        if (expr instanceof Expr.Traversal traversal) {
            for (Expr.Step step : traversal.steps()) {
                if (step instanceof Expr.Step.Index index) {
                    return index.key().text();
                }
            }
        }
        return "";
    }

    /** Literal strings of a tuple, or null if it is not a tuple of literal strings. */
    static List<String> literalStrings(Expr expr) {
        if (!(expr instanceof Expr.Tuple tuple)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (Expr item : tuple.items()) {
            Optional<String> value = Hcl.string(item);
            if (value.isEmpty()) {
                return null;
            }
            values.add(value.get());
        }
        return values;
    }

    private static void forEachString(Expr expr, Consumer<String> action) {
        if (expr instanceof Expr.Tuple tuple) {
            tuple.items().forEach(item -> forEachString(item, action));
        } else {
            Hcl.string(expr).ifPresent(action);
        }
    }

    /** Calls {@code action} for every reference inside an expression. */
    static void eachReference(Expr expr, Consumer<Expr> action) {
        if (expr == null) {
            return;
        }
        if (expr instanceof Expr.Variable || expr instanceof Expr.Traversal traversal
                && traversal.base() instanceof Expr.Variable) {
            action.accept(expr);
            if (expr instanceof Expr.Traversal traversal) {
                for (Expr.Step step : traversal.steps()) {
                    if (step instanceof Expr.Step.Index index) {
                        eachReference(index.key(), action);
                    }
                }
            }
        } else if (expr instanceof Expr.Traversal traversal) {
            eachReference(traversal.base(), action);
        } else if (expr instanceof Expr.Template template) {
            template.parts().stream().filter(Expr.class::isInstance).forEach(p -> eachReference((Expr) p, action));
        } else if (expr instanceof Expr.Tuple tuple) {
            tuple.items().forEach(item -> eachReference(item, action));
        } else if (expr instanceof Expr.ObjectCons object) {
            object.items().forEach(item -> {
                eachReference(item.key(), action);
                eachReference(item.value(), action);
            });
        } else if (expr instanceof Expr.Call call) {
            call.args().forEach(arg -> eachReference(arg, action));
        } else if (expr instanceof Expr.Conditional conditional) {
            eachReference(conditional.condition(), action);
            eachReference(conditional.ifTrue(), action);
            eachReference(conditional.ifFalse(), action);
        } else if (expr instanceof Expr.Operation operation) {
            operation.operands().forEach(operand -> eachReference(operand, action));
        } else if (expr instanceof Expr.For forExpr) {
            eachReference(forExpr.collection(), action);
            eachReference(forExpr.keyExpr(), action);
            eachReference(forExpr.valueExpr(), action);
            eachReference(forExpr.condition(), action);
        }
    }

    private static boolean containsObject(Expr expr) {
        if (expr instanceof Expr.ObjectCons) {
            return true;
        }
        if (expr instanceof Expr.Call call) {
            return call.args().stream().anyMatch(TerraformChecks::containsObject);
        }
        if (expr instanceof Expr.Tuple tuple) {
            return tuple.items().stream().anyMatch(TerraformChecks::containsObject);
        }
        if (expr instanceof Expr.Conditional conditional) {
            return containsObject(conditional.ifTrue()) || containsObject(conditional.ifFalse());
        }
        return false;
    }

    private static String text(Expr expr) {
        return expr == null ? "(none)" : IamPolicies.abbreviate(expr.text());
    }
}
