package dev.spalce.deploy.checks;

import dev.spalce.deploy.checks.terraform.Terraform;
import dev.spalce.deploy.checks.terraform.TerraformChecks;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each Terraform check fails on a real violation: one file of deploy/ecs is changed in memory, the module is
 * parsed again, and the check guarding that place must report it. The text to change must be in the file,
 * so these tests also break (rather than pass vacuously) when the module is rewritten.
 */
class TerraformChecksCatchViolationsTest {

    private static final Map<String, String> SOURCES = Terraform.load(Repo.deploy("ecs")).sources();

    private static List<String> broken(String file, String from, String to, Function<TerraformChecks, List<String>> check) {
        String source = SOURCES.get(file);
        assertThat(source).as(file).isNotNull();
        assertThat(source).as("the text to change in " + file).contains(from);
        Map<String, String> sources = new HashMap<>(SOURCES);
        sources.put(file, source.replace(from, to));
        return check.apply(new TerraformChecks(Terraform.of(sources)));
    }

    private static List<String> added(String file, String text, Function<TerraformChecks, List<String>> check) {
        Map<String, String> sources = new HashMap<>(SOURCES);
        sources.put(file, text);
        return check.apply(new TerraformChecks(Terraform.of(sources)));
    }

    @Test
    void aWildcardResourceOrActionIsReported() {
        assertThat(broken("iam.tf", "resources = [\"${aws_s3_bucket.evidence.arn}/*\"]", "resources = [\"*\"]",
                TerraformChecks::iamNoWildcards)).anyMatch(v -> v.contains("EvidenceObjects") && v.contains("resource \"*\""));
        assertThat(broken("iam.tf", "\"kms:DescribeKey\",", "\"kms:*\",", TerraformChecks::iamNoWildcards))
                .anyMatch(v -> v.contains("wildcard action kms:*"));
        assertThat(broken("iam.tf", "resources = var.customer_kms_key_arns",
                "resources = [\"arn:aws:kms:eu-west-1:111122223333:key/*\"]", TerraformChecks::iamNoWildcards))
                .anyMatch(v -> v.contains("wildcard in resource arn:aws:kms"));
        assertThat(broken("iam.tf", "resources = [\"${aws_cloudwatch_log_group.flow_logs.arn}:*\"]",
                "resources = [\"arn:aws:logs:*\"]", TerraformChecks::iamNoWildcards))
                .anyMatch(v -> v.contains("wildcard in resource arn:aws:logs:*"));
    }

    @Test
    void theEcrExceptionCoversExactlyGetAuthorizationTokenInTheExecutionRoles() {
        assertThat(broken("iam.tf", "actions   = [\"ecr:GetAuthorizationToken\"]",
                "actions   = [\"ecr:GetAuthorizationToken\", \"ecr:BatchGetImage\"]", TerraformChecks::iamNoWildcards))
                .anyMatch(v -> v.contains("resource \"*\""));
        String evidenceStar = SOURCES.get("iam.tf").replace("    sid       = \"EvidenceBucketListing\"",
                "    sid       = \"SneakyToken\"\n    effect    = \"Allow\"\n"
                        + "    actions   = [\"ecr:GetAuthorizationToken\"]\n    resources = [\"*\"]\n  }\n\n"
                        + "  statement {\n    sid       = \"EvidenceBucketListing\"");
        assertThat(evidenceStar).isNotEqualTo(SOURCES.get("iam.tf"));
        assertThat(added("iam.tf", evidenceStar, TerraformChecks::iamNoWildcards))
                .anyMatch(v -> v.contains("SneakyToken") && v.contains("resource \"*\""));
    }

    @Test
    void anUnvalidatedVariableAsResourcesIsReported() {
        assertThat(broken("variables.tf", "can(regex(\"^arn:aws[a-z-]*:kms:", "can(regex(\"^.*:kms:",
                TerraformChecks::iamNoWildcards)).anyMatch(v -> v.contains("var.customer_kms_key_arns has no validation"));
    }

    @Test
    void inlineJsonPoliciesAreReadToo() {
        String extra = SOURCES.get("iam.tf") + """

                resource "aws_iam_policy" "extra" {
                  policy = jsonencode({
                    Version = "2012-10-17"
                    Statement = [{
                      Effect   = "Allow"
                      Action   = ["s3:GetObject"]
                      Resource = "*"
                    }]
                  })
                }

                resource "aws_iam_policy" "heredoc" {
                  policy = <<-JSON
                    {"Statement": []}
                  JSON
                }
                """;
        assertThat(added("iam.tf", extra, TerraformChecks::iamNoWildcards))
                .anyMatch(v -> v.contains("aws_iam_policy.extra") && v.contains("resource \"*\""))
                .anyMatch(v -> v.contains("aws_iam_policy.heredoc") && v.contains("neither"));
        assertThat(added("iam.tf", SOURCES.get("iam.tf") + """

                resource "aws_iam_role_policy_attachment" "admin" {
                  role       = aws_iam_role.task["audit-log-service"].name
                  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
                }
                """, TerraformChecks::iamNoWildcards)).anyMatch(v -> v.contains("managed policies"));
    }

    @Test
    void aServiceGainingAnotherServicesPermissionsIsReported() {
        assertThat(added("iam.tf", SOURCES.get("iam.tf") + """

                resource "aws_iam_role_policy" "audit_kms" {
                  name   = "customer-kms-keys"
                  role   = aws_iam_role.task["audit-log-service"].id
                  policy = data.aws_iam_policy_document.crypto_task.json
                }
                """, TerraformChecks::iamLeastPrivilegePerService))
                .anyMatch(v -> v.contains("audit-log-service calls no AWS API"));
        assertThat(broken("iam.tf", "\"kms:ReEncryptTo\",", "\"kms:ReEncryptTo\",\n      \"kms:CreateGrant\",",
                TerraformChecks::iamLeastPrivilegePerService)).anyMatch(v -> v.contains("kms:CreateGrant"));
        assertThat(broken("locals.tf", "[aws_secretsmanager_secret.service[name].arn, local.db_admin_secret_arn]",
                "[aws_secretsmanager_secret.service[\"crypto-service\"].arn, local.db_admin_secret_arn]",
                TerraformChecks::iamLeastPrivilegePerService)).anyMatch(v -> v.contains("only its own service's secret"));
        assertThat(broken("iam.tf", "      variable = \"kms:ViaService\"\n      values   = [\"s3.${var.region}.amazonaws.com\"]",
                "      variable = \"kms:CallerAccount\"\n      values   = [local.account_id]",
                TerraformChecks::iamLeastPrivilegePerService)).anyMatch(v -> v.contains("through S3 only"));
    }

    @Test
    void tasksWithPublicAddressesOrPublicSubnetsAreReported() {
        assertThat(broken("ecs.tf", "assign_public_ip = false", "assign_public_ip = true",
                TerraformChecks::ecsTasksPrivate)).anyMatch(v -> v.contains("assign_public_ip"));
        assertThat(broken("ecs.tf", "subnets          = aws_subnet.private[*].id",
                "subnets          = aws_subnet.public[*].id", TerraformChecks::ecsTasksPrivate))
                .anyMatch(v -> v.contains("routes to an internet gateway"));
        assertThat(broken("ecs.tf", "enable_execute_command = false", "enable_execute_command = true",
                TerraformChecks::ecsTasksPrivate)).anyMatch(v -> v.contains("enable_execute_command"));
    }

    @Test
    void aPrivateSubnetThatRoutesToTheInternetGatewayIsReported() {
        assertThat(broken("network.tf", """
                resource "aws_route_table" "data" {
                  vpc_id = aws_vpc.main.id
                """, """
                resource "aws_route_table" "data" {
                  vpc_id = aws_vpc.main.id

                  route {
                    cidr_block = "0.0.0.0/0"
                    gateway_id = aws_internet_gateway.main.id
                  }
                """, TerraformChecks::rdsPrivateAndEncrypted)).anyMatch(v -> v.contains("routes to an internet gateway"));
        assertThat(broken("network.tf", "count.index + 200)\n  map_public_ip_on_launch = false",
                "count.index + 200)\n  map_public_ip_on_launch = true", TerraformChecks::mskPrivateAndEncrypted))
                .anyMatch(v -> v.contains("map_public_ip_on_launch"));
    }

    @Test
    void aPublicOrUnencryptedDatabaseIsReported() {
        assertThat(broken("data_stores.tf", "publicly_accessible    = false", "publicly_accessible    = true",
                TerraformChecks::rdsPrivateAndEncrypted)).anyMatch(v -> v.contains("publicly_accessible"));
        assertThat(broken("data_stores.tf", "storage_encrypted     = true", "storage_encrypted     = false",
                TerraformChecks::rdsPrivateAndEncrypted)).anyMatch(v -> v.contains("storage_encrypted"));
        assertThat(broken("data_stores.tf", "  subnet_ids  = aws_subnet.data[*].id",
                "  subnet_ids  = aws_subnet.public[*].id", TerraformChecks::rdsPrivateAndEncrypted))
                .anyMatch(v -> v.contains("aws_subnet.public routes to an internet gateway"));
        assertThat(broken("data_stores.tf", "manage_master_user_password   = true",
                "password                      = \"hunter2\"", TerraformChecks::rdsPrivateAndEncrypted))
                .anyMatch(v -> v.contains("master password"));
    }

    @Test
    void kafkaOutsideThePrivateSubnetsOrWithoutTlsIsReported() {
        assertThat(broken("data_stores.tf", "client_subnets  = aws_subnet.data[*].id",
                "client_subnets  = aws_subnet.public[*].id", TerraformChecks::mskPrivateAndEncrypted))
                .anyMatch(v -> v.contains("client_subnets"));
        assertThat(broken("data_stores.tf", "client_broker = \"TLS\"", "client_broker = \"TLS_PLAINTEXT\"",
                TerraformChecks::mskPrivateAndEncrypted)).anyMatch(v -> v.contains("client_broker must be TLS"));
    }

    @Test
    void aWeakTlsPolicyOrAnHttpListenerThatServesIsReported() {
        assertThat(broken("alb.tf", "ssl_policy        = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"",
                "ssl_policy        = \"ELBSecurityPolicy-2016-08\"", TerraformChecks::loadBalancerTls))
                .anyMatch(v -> v.contains("ELBSecurityPolicy-2016-08"));
        assertThat(broken("alb.tf", "protocol    = \"HTTPS\"\n      status_code = \"HTTP_301\"",
                "protocol    = \"HTTP\"\n      status_code = \"HTTP_301\"", TerraformChecks::loadBalancerTls))
                .anyMatch(v -> v.contains("may only redirect to HTTPS"));
        assertThat(broken("alb.tf", "    type = \"redirect\"\n", "    type = \"forward\"\n",
                TerraformChecks::loadBalancerTls)).anyMatch(v -> v.contains("may only redirect to HTTPS"));
    }

    @Test
    void aLoadBalancerWithoutWafOrWithCountingRulesIsReported() {
        assertThat(broken("alb.tf", "resource_arn = aws_lb.public.arn", "resource_arn = aws_lb.other.arn",
                TerraformChecks::wafOnLoadBalancer)).anyMatch(v -> v.contains("no aws_wafv2_web_acl_association"));
        assertThat(broken("alb.tf", "\"aws-sqli\"\n    priority = 40\n\n    override_action {\n      none {}",
                "\"aws-sqli\"\n    priority = 40\n\n    override_action {\n      count {}",
                TerraformChecks::wafOnLoadBalancer))
                .anyMatch(v -> v.contains("AWSManagedRulesSQLiRuleSet must block"));
    }

    @Test
    void aPublicUnencryptedOrPlainHttpBucketIsReported() {
        assertThat(broken("s3.tf", "restrict_public_buckets = true", "restrict_public_buckets = false",
                TerraformChecks::evidenceBucketLockedDown)).anyMatch(v -> v.contains("restrict_public_buckets"));
        assertThat(broken("s3.tf", "variable = \"aws:SecureTransport\"", "variable = \"aws:SourceIp\"",
                TerraformChecks::evidenceBucketLockedDown)).anyMatch(v -> v.contains("aws:SecureTransport"));
        assertThat(broken("s3.tf", "sse_algorithm     = \"aws:kms\"", "sse_algorithm     = \"AES256\"",
                TerraformChecks::evidenceBucketLockedDown)).anyMatch(v -> v.contains("SSE-KMS"));
        assertThat(broken("s3.tf", "status = \"Enabled\"\n  }\n}", "status = \"Suspended\"\n  }\n}",
                TerraformChecks::evidenceBucketLockedDown)).anyMatch(v -> v.contains("versioning"));
        assertThat(broken("s3.tf", "values   = [\"aws:kms\"]", "values   = [\"AES256\"]",
                TerraformChecks::evidenceBucketLockedDown)).anyMatch(v -> v.contains("other than aws:kms"));
    }

    @Test
    void securityGroupRulesBeyondTheDesignAreReported() {
        assertThat(broken("locals.tf", "\"audit-log-service\" = []\n  }", "\"audit-log-service\" = [\"crypto-service\"]\n  }",
                TerraformChecks::securityGroupFlows)).anyMatch(v -> v.contains("local.calls must be the design's flows"));
        assertThat(broken("security_groups.tf",
                "\"PostgreSQL from ${each.key}\"\n  referenced_security_group_id = aws_security_group.service[each.key].id",
                "\"PostgreSQL from ${each.key}\"\n  cidr_ipv4                    = \"0.0.0.0/0\"",
                TerraformChecks::securityGroupFlows))
                .anyMatch(v -> v.contains("only the load balancer takes connections from an address range"));
        assertThat(broken("security_groups.tf", "referenced_security_group_id = aws_security_group.service[\"crypto-service\"].id\n  ip_protocol                  = \"tcp\"\n  from_port                    = 443",
                "referenced_security_group_id = aws_security_group.service[\"evidence-service\"].id\n  ip_protocol                  = \"tcp\"\n  from_port                    = 443",
                TerraformChecks::securityGroupFlows)).anyMatch(v -> v.contains("KMS endpoint admits crypto-service only"));
    }

    @Test
    void secretsInCodeOrPlainEnvironmentAndWritableContainersAreReported() {
        assertThat(added("secrets.tf", SOURCES.get("secrets.tf") + """

                resource "aws_secretsmanager_secret_version" "leak" {
                  secret_id     = aws_secretsmanager_secret.gateway_tls.id
                  secret_string = "hunter2"
                }
                """, TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("aws_secretsmanager_secret_version"))
                .anyMatch(v -> v.contains("secret_string holds a literal secret"));
        assertThat(broken("locals.tf", "{ name = \"SPALCE_DB_NAME\", value = var.db_name },",
                "{ name = \"SPALCE_DB_NAME\", value = var.db_name },\n    { name = \"SPALCE_DB_APP_PASSWORD\", value = \"x\" },",
                TerraformChecks::secretsAndContainers)).anyMatch(v -> v.contains("SPALCE_DB_APP_PASSWORD is a secret"));
        assertThat(broken("ecs.tf", "      readonlyRootFilesystem = true\n      portMappings",
                "      readonlyRootFilesystem = false\n      portMappings", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("local.app_container: readonlyRootFilesystem"));
        assertThat(broken("ecs.tf", "      user                   = \"185\"\n      readonlyRootFilesystem = true\n      portMappings",
                "      user                   = \"0\"\n      readonlyRootFilesystem = true\n      portMappings",
                TerraformChecks::secretsAndContainers)).anyMatch(v -> v.contains("numeric non-root uid"));
        assertThat(broken("locals.tf", "      { name = \"SPALCE_S3_BUCKET\", value = aws_s3_bucket.evidence.bucket },\n", "",
                TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[evidence-service]: missing configuration [SPALCE_S3_BUCKET]"));
        assertThat(added("variables.tf", SOURCES.get("variables.tf") + """

                variable "db_password" {
                  type = string
                }
                """, TerraformChecks::secretsAndContainers)).anyMatch(v -> v.contains("must not be a Terraform variable"));
    }

    @Test
    void aMissingInternalTokenKeyOrDatabaseCaIsReported() {
        assertThat(broken("locals.tf", "      { name = \"SPALCE_INTERNAL_TOKEN_PUBLIC_KEY\", valueFrom ="
                        + " \"${aws_secretsmanager_secret.internal_token_public_key.arn}:public_key::\" },\n", "",
                TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[crypto-service]: missing configuration [SPALCE_INTERNAL_TOKEN_PUBLIC_KEY]"))
                .anyMatch(v -> v.contains("[auth-gateway]: missing configuration [SPALCE_INTERNAL_TOKEN_PUBLIC_KEY]"));
        assertThat(broken("locals.tf", "    { name = \"SPALCE_DB_CA_CERTIFICATE\", value = \"/etc/spalce/db-ca/rds-ca.pem\" },\n",
                "", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[audit-log-service]: missing configuration [SPALCE_DB_CA_CERTIFICATE]"));
        assertThat(broken("locals.tf", "      { name = \"SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY\",",
                "      { name = \"SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY_UNUSED\",", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[auth-gateway]: missing configuration"
                        + " [SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY]"));
    }

    @Test
    void anInternalTokenPublicKeyPerServiceOrTheSigningKeyElsewhereIsReported() {
        // Each service would read "public_key" from its own secret: five values where there must be one.
        assertThat(broken("locals.tf", "${aws_secretsmanager_secret.internal_token_public_key.arn}:public_key::",
                "${aws_secretsmanager_secret.service[name].arn}:public_key::", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[rewrap-worker]: SPALCE_INTERNAL_TOKEN_PUBLIC_KEY must come from one secret"
                        + " for every service"));
        assertThat(broken("locals.tf", "      { name = \"SPALCE_AUDIT_CHECKPOINT_PRIVATE_KEY\",",
                "      { name = \"SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY\", valueFrom ="
                        + " \"${aws_secretsmanager_secret.service[\"audit-log-service\"].arn}:checkpoint_private_key::\" },\n"
                        + "      { name = \"SPALCE_AUDIT_CHECKPOINT_PRIVATE_KEY\",", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[audit-log-service]: SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY belongs to"
                        + " auth-gateway only"));
    }

    @Test
    void filesNotMountedReadOnlyNotWrittenOrAtOtherPathsAreReported() {
        assertThat(broken("ecs.tf", "{ sourceVolume = \"db-ca\", containerPath = \"/etc/spalce/db-ca\", readOnly = true }",
                "{ sourceVolume = \"db-ca\", containerPath = \"/etc/spalce/db-ca\", readOnly = false }",
                TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("local.app_container[evidence-service]: the database's CA bundle must be"
                        + " mounted read-only at /etc/spalce/db-ca"));
        assertThat(broken("ecs.tf", "{ sourceVolume = \"db-ca\", containerPath = \"/etc/spalce/db-ca\", readOnly = false }",
                "{ sourceVolume = \"scratch\", containerPath = \"/etc/spalce/db-ca\", readOnly = false }",
                TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("volume db-ca at /etc/spalce/db-ca is written by no init container"));
        assertThat(broken("ecs.tf", "[local.db_ca_init[each.key], local.app_container[each.key]]",
                "[local.app_container[each.key]]", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("app_container and db_ca_init in every task"));
        assertThat(broken("locals.tf", "{ name = \"SPALCE_TLS_KEY\", value = \"/etc/spalce/tls/tls.key\" }",
                "{ name = \"SPALCE_TLS_KEY\", value = \"/etc/spalce/other/tls.key\" }", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[auth-gateway]: SPALCE_TLS_KEY must be /etc/spalce/tls/tls.key"));
        assertThat(broken("locals.tf", "      { name = \"QUARKUS_HTTP_INSECURE_REQUESTS\", value = \"disabled\" },\n",
                "      { name = \"QUARKUS_HTTP_INSECURE_REQUESTS\", value = \"disabled\" },\n"
                        + "      { name = \"QUARKUS_HTTP_SSL_CERTIFICATE_FILES\", value = \"/etc/spalce/tls/tls.crt\" },\n",
                TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[auth-gateway]: QUARKUS_HTTP_SSL_CERTIFICATE_FILES is no longer read"));
    }

    @Test
    void logsWithoutRetentionAndKeysWithoutRotationAreReported() {
        assertThat(broken("alb.tf", "  name              = \"aws-waf-logs-${local.name}\"\n  retention_in_days = var.log_retention_days\n",
                "  name              = \"aws-waf-logs-${local.name}\"\n", TerraformChecks::logsKeysAndVersions))
                .anyMatch(v -> v.contains("aws_cloudwatch_log_group.waf: retention_in_days"));
        assertThat(broken("kms.tf", "enable_key_rotation     = true\n  deletion_window_in_days = 30\n}\n\nresource \"aws_kms_alias\" \"evidence\"",
                "enable_key_rotation     = false\n  deletion_window_in_days = 30\n}\n\nresource \"aws_kms_alias\" \"evidence\"",
                TerraformChecks::logsKeysAndVersions)).anyMatch(v -> v.contains("aws_kms_key.evidence: enable_key_rotation"));
    }

    @Test
    void aMissingVpcEndpointIsReported() {
        assertThat(broken("network.tf", "toset([\"secretsmanager\", \"ecr.api\", \"ecr.dkr\", \"logs\"])",
                "toset([\"ecr.api\", \"ecr.dkr\", \"logs\"])", TerraformChecks::vpcEndpoints))
                .anyMatch(v -> v.contains("secretsmanager"));
    }

    @Test
    void aSixthServiceOrAMissingOneIsReported() {
        assertThat(broken("locals.tf", "    \"rewrap-worker\"     = { port = 8080, cpu = 512, memory = 1024 }\n", "",
                TerraformChecks::onePerService)).anyMatch(v -> v.contains("local.services must name exactly"));
    }

    @Test
    void evidenceServicesKeysMissingInPlainEnvironmentOrElsewhereAreReported() {
        String signing = "      { name = \"SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY\", valueFrom ="
                + " \"${aws_secretsmanager_secret.service[\"evidence-service\"].arn}:download_signing_key::\" },\n";
        assertThat(broken("locals.tf", signing, "", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[evidence-service]: missing configuration [SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY]"));
        assertThat(broken("locals.tf", "      { name = \"SPALCE_S3_REGION\", value = var.region },\n",
                "      { name = \"SPALCE_S3_REGION\", value = var.region },\n"
                        + "      { name = \"SPALCE_PERSONNEL_BLIND_INDEX_KEY\", value = \"c3BhbGNl\" },\n",
                TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[evidence-service]: SPALCE_PERSONNEL_BLIND_INDEX_KEY is a secret"));
        assertThat(broken("locals.tf", "    \"rewrap-worker\"  = local.common_secrets[\"rewrap-worker\"]\n",
                "    \"rewrap-worker\" = concat(local.common_secrets[\"rewrap-worker\"], [\n"
                        + "      { name = \"SPALCE_PERSONNEL_BLIND_INDEX_KEY\", valueFrom ="
                        + " \"${aws_secretsmanager_secret.service[\"rewrap-worker\"].arn}:blind_index_key::\" },\n"
                        + "    ])\n", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[rewrap-worker]: SPALCE_PERSONNEL_BLIND_INDEX_KEY belongs to"
                        + " evidence-service only"));
    }

    @Test
    void evidenceObjectsUnderAnotherKeyOrInAnotherRegionAreReported() {
        assertThat(broken("locals.tf", "{ name = \"SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION\", value = \"none\" }",
                "{ name = \"SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION\", value = \"AES256\" }",
                TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[evidence-service]: SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION must be none,"
                        + " found AES256"));
        assertThat(broken("locals.tf", "{ name = \"SPALCE_S3_REGION\", value = var.region }",
                "{ name = \"SPALCE_S3_REGION\", value = \"us-east-1\" }", TerraformChecks::secretsAndContainers))
                .anyMatch(v -> v.contains("[evidence-service]: SPALCE_S3_REGION must be the same as AWS_REGION"));
    }

    @Test
    void aLoadBalancerThatCutsLongTransfersIsReported() {
        assertThat(broken("alb.tf", "  idle_timeout               = 300\n", "", TerraformChecks::loadBalancerTls))
                .anyMatch(v -> v.contains("idle_timeout must be at least 300 seconds") && v.contains("found none"));
        assertThat(broken("alb.tf", "  idle_timeout               = 300\n", "  idle_timeout = 60\n",
                TerraformChecks::loadBalancerTls)).anyMatch(v -> v.contains("found 60"));
    }
}
