# ECS on Fargate: one cluster, and per Spalce service one task definition, one service, one log group, one
# task role and one execution role (iam.tf). Tasks run in the private subnets without public addresses;
# internal services find each other through Cloud Map (SERVICE.spalce.internal).

resource "aws_ecs_cluster" "main" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_service_discovery_private_dns_namespace" "internal" {
  name        = "spalce.internal"
  description = "Internal names of the Spalce services"
  vpc         = aws_vpc.main.id
}

resource "aws_service_discovery_service" "internal" {
  for_each = local.internal_services
  name     = each.key

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.internal.id
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_cloudwatch_log_group" "service" {
  for_each          = local.services
  name              = "/spalce/${var.environment}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_ecs_task_definition" "service" {
  for_each                 = local.services
  family                   = "${local.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.execution[each.key].arn
  task_role_arn            = aws_iam_role.task[each.key].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = "tmp"
  }

  dynamic "volume" {
    for_each = local.file_volumes[each.key]
    content {
      name = volume.key
    }
  }

  container_definitions = jsonencode([
    # Fargate injects secrets as environment variables only, while the service reads its RDS CA bundle, its
    # internal mTLS key pair and CA (every service), its public TLS key pair (the gateway) and its checkpoint
    # signing key (audit-log-service) from files: this short-lived container (the service's own image and
    # non-root user) writes them, owner-only, into the task's private ephemeral volumes, which the
    # application mounts read-only, and exits before the application starts.
    {
      name                   = "files-init"
      image                  = "${aws_ecr_repository.service[each.key].repository_url}:${var.image_tag}"
      essential              = false
      user                   = "185"
      readonlyRootFilesystem = true
      entryPoint             = ["/bin/sh", "-c"]
      command                = ["umask 077 && printf '%s\\n' \"$DB_CA_CERTIFICATE\" > /etc/spalce/db-ca/rds-ca.pem && printf '%s\\n' \"$INTERNAL_TLS_CERTIFICATE\" > /etc/spalce/internal-tls/tls.crt && printf '%s\\n' \"$INTERNAL_TLS_PRIVATE_KEY\" > /etc/spalce/internal-tls/tls.key && printf '%s\\n' \"$INTERNAL_TLS_CA\" > /etc/spalce/internal-tls/ca.crt${local.extra_file_commands[each.key]}"]
      secrets = concat([
        { name = "DB_CA_CERTIFICATE", valueFrom = "${aws_secretsmanager_secret.db_ca.arn}:certificate::" },
        { name = "INTERNAL_TLS_CERTIFICATE", valueFrom = "${aws_secretsmanager_secret.internal_tls[each.key].arn}:certificate::" },
        { name = "INTERNAL_TLS_PRIVATE_KEY", valueFrom = "${aws_secretsmanager_secret.internal_tls[each.key].arn}:private_key::" },
        { name = "INTERNAL_TLS_CA", valueFrom = "${aws_secretsmanager_secret.internal_tls[each.key].arn}:ca::" },
      ], local.extra_file_secrets[each.key])
      mountPoints     = [for volume, path in local.file_volumes[each.key] : { sourceVolume = volume, containerPath = path, readOnly = false }]
      linuxParameters = { capabilities = { drop = ["ALL"] } }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.service[each.key].name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "files-init"
        }
      }
    },
    {
      name                   = each.key
      image                  = "${aws_ecr_repository.service[each.key].repository_url}:${var.image_tag}"
      essential              = true
      user                   = "185"
      readonlyRootFilesystem = true
      portMappings = [
        { name = "api", containerPort = each.value.port, protocol = "tcp" },
        { name = "management", containerPort = 9000, protocol = "tcp" },
      ]
      environment = concat(local.common_environment, local.service_environment[each.key])
      secrets     = local.service_secrets[each.key]
      mountPoints = concat(
        [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }],
        [for volume, path in local.file_volumes[each.key] : { sourceVolume = volume, containerPath = path, readOnly = true }]
      )
      dependsOn = [{ containerName = "files-init", condition = "SUCCESS" }]
      linuxParameters = {
        initProcessEnabled = true
        capabilities       = { drop = ["ALL"] }
      }
      stopTimeout = 30
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.service[each.key].name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = each.key
        }
      }
    },
  ])
}

resource "aws_ecs_service" "service" {
  for_each               = local.services
  name                   = each.key
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.service[each.key].arn
  desired_count          = var.service_desired_count
  launch_type            = "FARGATE"
  platform_version       = "1.4.0"
  enable_execute_command = false
  propagate_tags         = "SERVICE"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.service[each.key].id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = each.key == "auth-gateway" ? [aws_lb_target_group.gateway.arn] : []
    content {
      target_group_arn = load_balancer.value
      container_name   = "auth-gateway"
      container_port   = 8443
    }
  }

  dynamic "service_registries" {
    for_each = each.key == "auth-gateway" ? [] : [each.key]
    content {
      registry_arn = aws_service_discovery_service.internal[service_registries.value].arn
    }
  }

  # The gateway and rewrap-worker are scaled by Application Auto Scaling (autoscaling.tf).
  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.https]
}
