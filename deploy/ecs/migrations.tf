# Database migrations: one one-off task per service, run before each rollout (deploy/README.md, "Rollout").
# The service's own image, started with QUARKUS_INIT_AND_EXIT=true: Flyway migrates as the migration (admin)
# role and the process exits. Only these tasks read the admin credential (RDS's managed secret); the
# long-running services connect as their own role with SPALCE_DB_APP_PASSWORD and never see it.

resource "aws_cloudwatch_log_group" "migrate" {
  for_each          = local.services
  name              = "/spalce/${var.environment}/${each.key}-migrate"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_iam_role" "migrate_execution" {
  for_each           = local.services
  name               = "${local.name}-${each.key}-migrate-execution"
  description        = "ECS starting ${each.key}'s migration task: its image, its log group, the admin secret"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "migrate_execution" {
  for_each = local.services

  # ecr:GetAuthorizationToken has no resource-level permissions (iam.tf, execution roles).
  statement {
    sid       = "EcrAuthorizationTokenHasNoResourceLevelPermissions"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullOwnImage"
    effect    = "Allow"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.service[each.key].arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.migrate[each.key].arn}:log-stream:*"]
  }

  statement {
    sid       = "ReadAdminAndDatabaseSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.db_admin_secret_arn, aws_secretsmanager_secret.service[each.key].arn, aws_secretsmanager_secret.db_ca.arn, aws_secretsmanager_secret.internal_tls[each.key].arn]
  }

  statement {
    sid       = "DecryptSecretsThroughSecretsManager"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.secrets.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "migrate_execution" {
  for_each = local.services
  name     = "migrate-${each.key}"
  role     = aws_iam_role.migrate_execution[each.key].id
  policy   = data.aws_iam_policy_document.migrate_execution[each.key].json
}

# No task role: a migration calls no AWS API.
resource "aws_ecs_task_definition" "migrate" {
  for_each                 = local.services
  family                   = "${local.name}-${each.key}-migrate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.migrate_execution[each.key].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = "tmp"
  }

  volume {
    name = "db-ca"
  }

  volume {
    name = "internal-tls"
  }

  container_definitions = jsonencode([
    # The RDS CA bundle (verify-full, as in the services) and the service's internal key pair (start-up loads the
    # internal TLS configuration even when it only migrates and exits), written into the task's private volumes first.
    {
      name                   = "files-init"
      image                  = "${aws_ecr_repository.service[each.key].repository_url}:${var.image_tag}"
      essential              = false
      user                   = "185"
      readonlyRootFilesystem = true
      entryPoint             = ["/bin/sh", "-c"]
      command                = ["umask 077 && printf '%s\\n' \"$DB_CA_CERTIFICATE\" > /etc/spalce/db-ca/rds-ca.pem && printf '%s\\n' \"$INTERNAL_TLS_CERTIFICATE\" > /etc/spalce/internal-tls/tls.crt && printf '%s\\n' \"$INTERNAL_TLS_PRIVATE_KEY\" > /etc/spalce/internal-tls/tls.key && printf '%s\\n' \"$INTERNAL_TLS_CA\" > /etc/spalce/internal-tls/ca.crt"]
      secrets = [
        { name = "DB_CA_CERTIFICATE", valueFrom = "${aws_secretsmanager_secret.db_ca.arn}:certificate::" },
        { name = "INTERNAL_TLS_CERTIFICATE", valueFrom = "${aws_secretsmanager_secret.internal_tls[each.key].arn}:certificate::" },
        { name = "INTERNAL_TLS_PRIVATE_KEY", valueFrom = "${aws_secretsmanager_secret.internal_tls[each.key].arn}:private_key::" },
        { name = "INTERNAL_TLS_CA", valueFrom = "${aws_secretsmanager_secret.internal_tls[each.key].arn}:ca::" },
      ]
      mountPoints = [
        { sourceVolume = "db-ca", containerPath = "/etc/spalce/db-ca", readOnly = false },
        { sourceVolume = "internal-tls", containerPath = "/etc/spalce/internal-tls", readOnly = false },
      ]
      linuxParameters = { capabilities = { drop = ["ALL"] } }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.migrate[each.key].name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "files-init"
        }
      }
    },
    # The service's image with its own entry point, in init-and-exit mode.
    {
      name                   = "migrate"
      image                  = "${aws_ecr_repository.service[each.key].repository_url}:${var.image_tag}"
      essential              = true
      user                   = "185"
      readonlyRootFilesystem = true
      environment = [
        { name = "QUARKUS_INIT_AND_EXIT", value = "true" },
        { name = "SPALCE_DB_HOST", value = aws_db_instance.main.address },
        { name = "SPALCE_DB_PORT", value = tostring(aws_db_instance.main.port) },
        { name = "SPALCE_DB_NAME", value = var.db_name },
        { name = "SPALCE_DB_ADMIN_USER", value = var.db_admin_user },
        { name = "SPALCE_DB_CA_CERTIFICATE", value = "/etc/spalce/db-ca/rds-ca.pem" },
        { name = "SPALCE_INTERNAL_TLS_CERT", value = "/etc/spalce/internal-tls/tls.crt" },
        { name = "SPALCE_INTERNAL_TLS_KEY", value = "/etc/spalce/internal-tls/tls.key" },
        { name = "SPALCE_INTERNAL_TLS_CA", value = "/etc/spalce/internal-tls/ca.crt" },
      ]
      secrets = [
        { name = "SPALCE_DB_ADMIN_PASSWORD", valueFrom = "${local.db_admin_secret_arn}:password::" },
        { name = "SPALCE_DB_APP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.service[each.key].arn}:db_app_password::" },
      ]
      mountPoints = [
        { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
        { sourceVolume = "db-ca", containerPath = "/etc/spalce/db-ca", readOnly = true },
        { sourceVolume = "internal-tls", containerPath = "/etc/spalce/internal-tls", readOnly = true },
      ]
      dependsOn = [{ containerName = "files-init", condition = "SUCCESS" }]
      linuxParameters = {
        initProcessEnabled = true
        capabilities       = { drop = ["ALL"] }
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.migrate[each.key].name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "migrate"
        }
      }
    },
  ])
}
