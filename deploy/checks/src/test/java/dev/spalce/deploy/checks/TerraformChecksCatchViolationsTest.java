package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.deploy.checks.terraform.AwsSdkCalls;
import dev.spalce.deploy.checks.terraform.Terraform;
import dev.spalce.deploy.checks.terraform.TerraformChecks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each Terraform check fails on a real violation: one file of deploy/ecs is changed in memory, the module is
 * parsed again, and the check guarding that place must report it. The text to change must be in the file,
 * so these tests also break (rather than pass vacuously) when the module is rewritten.
 */
class TerraformChecksCatchViolationsTest {

    private static final Map<String, String> SOURCES =
            Terraform.load(Repo.deploy("ecs")).sources();

    private static List<String> broken(
            String file, String from, String to, Function<TerraformChecks, List<String>> check) {
        String source = SOURCES.get(file);
        assertThat(source).as(file).isNotNull();
        assertThat(source).as("the text to change in " + file).contains(from);
        Map<String, String> sources = new HashMap<>(SOURCES);
        sources.put(file, source.replace(from, to));
        return check.apply(new TerraformChecks(Terraform.of(sources)));
    }

    @Test
    void iamLeastPrivilege_withWildcardsOrAnotherServicesAction_fails() {
        assertThat(broken(
                        "iam.tf",
                        "resources = [\"${aws_s3_bucket.evidence.arn}/*\"]",
                        "resources = [\"*\"]",
                        TerraformChecks::iamLeastPrivilege))
                .anyMatch(v -> v.contains("resource \"*\""));
        assertThat(broken("iam.tf", "\"kms:DescribeKey\",", "\"kms:*\",", TerraformChecks::iamLeastPrivilege))
                .anyMatch(v -> v.contains("wildcard action kms:*"));
        assertThat(broken(
                        "iam.tf",
                        "resources = var.customer_kms_key_arns",
                        "resources = [\"arn:aws:kms:us-east-1:111122223333:key/*\"]",
                        TerraformChecks::iamLeastPrivilege))
                .anyMatch(v -> v.contains("wildcard in resource arn:aws:kms"));
        assertThat(broken(
                        "iam.tf",
                        "\"s3:DeleteObject\", \"s3:AbortMultipartUpload\"",
                        "\"s3:DeleteObject\", \"s3:AbortMultipartUpload\", \"s3:PutObjectAcl\"",
                        TerraformChecks::iamLeastPrivilege))
                .anyMatch(v -> v.startsWith("evidence-service: its task role grants"));
    }

    @Test
    void iamLeastPrivilege_withAnIrsaRoleUnlikeItsTaskRole_fails() {
        assertThat(broken(
                        "irsa.tf",
                        "\"evidence-service\"  = data.aws_iam_policy_document.evidence_task.json",
                        "\"evidence-service\"  = data.aws_iam_policy_document.crypto_task.json",
                        TerraformChecks::iamLeastPrivilege))
                .anyMatch(v -> v.contains("IRSA role of evidence-service"));
        assertThat(broken(
                        "irsa.tf",
                        "values   = [\"sts.amazonaws.com\"]",
                        "values   = [\"any\"]",
                        TerraformChecks::iamLeastPrivilege))
                .anyMatch(v -> v.contains("IRSA trust"));
    }

    @Test
    void sdkCallsGranted_withAnUngrantedS3Action_fails() {
        assertThat(broken(
                        "iam.tf",
                        "\"s3:DeleteObject\", \"s3:AbortMultipartUpload\"",
                        "\"s3:DeleteObject\"",
                        c -> c.sdkCallsGranted(Repo.root())))
                .contains("evidence-service calls s3:AbortMultipartUpload, which its role does not grant");
    }

    @Test
    void awsSdkCalls_mapsMultipartAndRewrapCallsToTheirIamActions() {
        String source = """
                class BlobStore {
                    private final S3Client s3;
                    private final KmsAsyncClient kms;
                    void put() { s3.createMultipartUpload(r); s3.uploadPart(r, b); s3.abortMultipartUpload(r); s3.close(); }
                    void rewrap() { kms.reEncrypt(r); }
                }
                """;
        assertThat(AwsSdkCalls.actionsIn(source))
                .containsExactly("kms:ReEncryptFrom", "kms:ReEncryptTo", "s3:AbortMultipartUpload", "s3:PutObject");
    }

    @Test
    void privateNetworking_withPublicTasksOrDatabase_fails() {
        assertThat(broken(
                        "ecs.tf",
                        "assign_public_ip = false",
                        "assign_public_ip = true",
                        TerraformChecks::privateNetworking))
                .anyMatch(v -> v.contains("assign_public_ip"));
        assertThat(broken(
                        "data_stores.tf",
                        "publicly_accessible",
                        "publicly_accessible = true\n  #",
                        TerraformChecks::privateNetworking))
                .anyMatch(v -> v.contains("publicly_accessible"));
    }

    @Test
    void encryptionWithOwnKeys_withoutAKeyOrRotation_fails() {
        assertThat(broken(
                        "secrets.tf",
                        "  kms_key_id              = aws_kms_key.secrets.arn\n  recovery_window_in_days = 7",
                        "  recovery_window_in_days = 7",
                        TerraformChecks::encryptionWithOwnKeys))
                .anyMatch(v -> v.contains("aws_secretsmanager_secret.internal_tls: kms_key_id"));
        assertThat(broken(
                        "s3.tf",
                        "kms_master_key_id = aws_kms_key.audit_anchor.arn",
                        "kms_master_key_id = \"alias/aws/s3\"",
                        TerraformChecks::encryptionWithOwnKeys))
                .anyMatch(v -> v.contains("aws_s3_bucket.audit_anchor: default encryption"));
        assertThat(broken(
                        "kms.tf",
                        "enable_key_rotation     = true\n  deletion_window_in_days = 30\n  policy                  = data.aws_iam_policy_document.logs_key.json",
                        "enable_key_rotation     = false\n  deletion_window_in_days = 30\n  policy                  = data.aws_iam_policy_document.logs_key.json",
                        TerraformChecks::encryptionWithOwnKeys))
                .anyMatch(v -> v.contains("aws_kms_key.logs: enable_key_rotation"));
    }

    @Test
    void kafkaAuthenticated_withUnauthenticatedClients_fails() {
        assertThat(broken(
                        "data_stores.tf",
                        "unauthenticated = false",
                        "unauthenticated = true",
                        TerraformChecks::kafkaAuthenticated))
                .anyMatch(v -> v.contains("unauthenticated must be false"));
    }

    @Test
    void cloudTrail_withoutValidationOrObjectLock_fails() {
        assertThat(broken(
                        "cloudtrail.tf",
                        "enable_log_file_validation    = true",
                        "enable_log_file_validation    = false",
                        TerraformChecks::cloudTrail))
                .anyMatch(v -> v.contains("enable_log_file_validation"));
        assertThat(broken(
                        "cloudtrail.tf",
                        "is_multi_region_trail         = true",
                        "is_multi_region_trail         = false",
                        TerraformChecks::cloudTrail))
                .anyMatch(v -> v.contains("is_multi_region_trail"));
        assertThat(broken(
                        "s3.tf",
                        "mode = \"COMPLIANCE\"\n      days = var.cloudtrail_retention_days",
                        "mode = \"GOVERNANCE\"\n      days = var.cloudtrail_retention_days",
                        TerraformChecks::cloudTrail))
                .anyMatch(
                        v -> v.contains("aws_s3_bucket.cloudtrail: Object Lock default retention in COMPLIANCE mode"));
    }

    @Test
    void auditAnchor_writableByAnotherService_fails() {
        assertThat(broken(
                        "iam.tf",
                        "    actions   = [\"s3:PutObject\", \"s3:GetObject\", \"s3:DeleteObject\", \"s3:AbortMultipartUpload\"]\n    resources = [\"${aws_s3_bucket.evidence.arn}/*\"]",
                        "    actions   = [\"s3:PutObject\", \"s3:GetObject\", \"s3:DeleteObject\", \"s3:AbortMultipartUpload\"]\n    resources = [\"${aws_s3_bucket.audit_anchor.arn}/*\"]",
                        TerraformChecks::auditAnchor))
                .anyMatch(v -> v.contains("only audit-log-service may write the anchor bucket"));
        assertThat(broken(
                        "s3.tf",
                        "values   = local.audit_anchor_writer_arns",
                        "values   = [\"*\"]",
                        TerraformChecks::auditAnchor))
                .anyMatch(v -> v.contains("deny s3:PutObject"));
    }

    @Test
    void migrations_withTheAdminPasswordInAService_fails() {
        assertThat(broken(
                        "locals.tf",
                        "{ name = \"SPALCE_DB_APP_PASSWORD\", valueFrom = \"${aws_secretsmanager_secret.service[\"crypto-service\"].arn}:db_app_password::\" },",
                        "{ name = \"SPALCE_DB_ADMIN_PASSWORD\", valueFrom = \"${local.db_admin_secret_arn}:password::\" },",
                        TerraformChecks::migrationsHoldTheAdminCredential))
                .anyMatch(v -> v.contains("SPALCE_DB_ADMIN_PASSWORD in a service's environment"))
                .anyMatch(v -> v.contains("crypto-service needs SPALCE_DB_APP_PASSWORD"));
        assertThat(broken(
                        "migrations.tf",
                        "{ name = \"QUARKUS_INIT_AND_EXIT\", value = \"true\" },",
                        "",
                        TerraformChecks::migrationsHoldTheAdminCredential))
                .anyMatch(v -> v.contains("QUARKUS_INIT_AND_EXIT=true"));
    }

    @Test
    void publicTls_withAnImportedCertificateOrOldTls_fails() {
        assertThat(broken(
                        "alb.tf",
                        "certificate_arn   = aws_acm_certificate_validation.public.certificate_arn",
                        "certificate_arn   = var.some_arn",
                        TerraformChecks::publicTls))
                .anyMatch(v -> v.contains("DNS-validated ACM certificate"));
        assertThat(broken(
                        "alb.tf",
                        "ELBSecurityPolicy-TLS13-1-2-2021-06",
                        "ELBSecurityPolicy-2016-08",
                        TerraformChecks::publicTls))
                .anyMatch(v -> v.contains("ssl_policy ELBSecurityPolicy-2016-08"));
    }

    @Test
    void internalCertificates_livingLongerThan90DaysOrRotatedTooLate_fail() {
        assertThat(broken(
                        "variables.tf",
                        "default     = 30\n\n  validation {\n    condition     = var.internal_certificate_validity_days",
                        "default     = 365\n\n  validation {\n    condition     = var.internal_certificate_validity_days",
                        TerraformChecks::internalCertificates))
                .anyMatch(v -> v.contains("internal_certificate_validity_days: default 365"));
        assertThat(broken(
                        "variables.tf",
                        "default     = 20\n\n  validation {\n    condition     = var.internal_certificate_rotation_days",
                        "default     = 28\n\n  validation {\n    condition     = var.internal_certificate_rotation_days",
                        TerraformChecks::internalCertificates))
                .anyMatch(v -> v.contains("internal_certificate_rotation_days: default 28"));
        assertThat(broken(
                        "pki.tf",
                        "rotation_lambda_arn = aws_lambda_function.internal_certificates.arn",
                        "rotation_lambda_arn = var.some_function",
                        TerraformChecks::internalCertificates))
                .anyMatch(v -> v.contains("aws_secretsmanager_secret_rotation.internal_tls"));
        assertThat(broken(
                        "pki.tf",
                        "      variable = \"acm-pca:TemplateArn\"",
                        "      variable = \"aws:RequestedRegion\"",
                        TerraformChecks::internalCertificates))
                .anyMatch(v -> v.contains("conditioned on the APIPassthrough template"));
    }

    @Test
    void publicTls_withAPlainHttpHealthCheck_fails() {
        assertThat(broken(
                        "alb.tf",
                        "protocol            = \"HTTPS\"\n    port                = \"9000\"",
                        "protocol            = \"HTTP\"\n    port                = \"9000\"",
                        TerraformChecks::publicTls))
                .anyMatch(v -> v.contains("aws_lb_target_group.gateway") && v.contains("health check must use HTTPS"));
    }

    @Test
    void regionAndSecrets_withAnotherRegionOrALiteralSecret_fails() {
        assertThat(broken(
                        "variables.tf",
                        "default     = \"us-east-1\"",
                        "default     = \"eu-west-1\"",
                        TerraformChecks::regionAndSecrets))
                .anyMatch(v -> v.contains("variable.region"));
        assertThat(broken(
                        "locals.tf",
                        "      local.internal_trusted_proxies,\n      # The write-once",
                        "      local.internal_trusted_proxies,\n      { name = \"SPALCE_OIDC_SERVICE_SECRET\", value = \"hunter2\" },\n      # The write-once",
                        TerraformChecks::regionAndSecrets))
                .anyMatch(v -> v.contains("SPALCE_OIDC_SERVICE_SECRET as a plain value"));
    }

    @Test
    void fileVolumes_withAVolumeTheImageDoesNotOwn_fails() {
        assertThat(broken(
                        "locals.tf",
                        "\"rewrap-worker\"     = { \"db-ca\" = \"/etc/spalce/db-ca\", \"internal-tls\" = \"/etc/spalce/internal-tls\" }",
                        "\"rewrap-worker\"     = { \"db-ca\" = \"/etc/spalce/db-ca\", \"internal-tls\" = \"/etc/spalce/internal-tls\", \"cache\" = \"/var/cache/spalce\" }",
                        TerraformChecks::fileVolumesMatchTheImages))
                .anyMatch(v -> v.contains("file_volumes[\"rewrap-worker\"]") && v.contains("/var/cache/spalce"));
    }
}
