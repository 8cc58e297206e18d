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
}

locals {
  # The application container of each service. It starts once its init containers have written its files:
  # the RDS CA bundle (every service) and the TLS key pair (the gateway).
  app_container = {
    for name, service in local.services : name => {
      name                   = name
      image                  = "${aws_ecr_repository.service[name].repository_url}:${var.image_tag}"
      essential              = true
      user                   = "185"
      readonlyRootFilesystem = true
      portMappings = [
        { name = "api", containerPort = service.port, protocol = "tcp" },
        { name = "management", containerPort = 9000, protocol = "tcp" },
      ]
      environment = concat(local.common_environment, local.service_environment[name])
      secrets     = local.service_secrets[name]
      mountPoints = concat(
        [
          { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
          { sourceVolume = "db-ca", containerPath = "/etc/spalce/db-ca", readOnly = true },
        ],
        name == "auth-gateway" ? [{ sourceVolume = "tls", containerPath = "/etc/spalce/tls", readOnly = true }] : []
      )
      dependsOn = concat(
        [{ containerName = "db-ca-init", condition = "SUCCESS" }],
        name == "auth-gateway" ? [{ containerName = "tls-init", condition = "SUCCESS" }] : []
      )
      linuxParameters = {
        initProcessEnabled = true
        capabilities       = { drop = ["ALL"] }
      }
      stopTimeout = 30
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.service[name].name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = name
        }
      }
    }
  }

  # Fargate injects secrets as environment variables, while every service reads the RDS CA bundle from a
  # file (SPALCE_DB_CA_CERTIFICATE): this short-lived container (the service's own image and non-root user)
  # writes it into the task's private ephemeral volume, which the application mounts read-only, and exits
  # before the application starts. The bundle is public; it comes from Secrets Manager only so that it is
  # neither in the image nor in the Terraform state, and can be renewed without a new image.
  db_ca_init = {
    for name, service in local.services : name => {
      name                   = "db-ca-init"
      image                  = "${aws_ecr_repository.service[name].repository_url}:${var.image_tag}"
      essential              = false
      user                   = "185"
      readonlyRootFilesystem = true
      entryPoint             = ["/bin/sh", "-c"]
      command                = ["umask 022 && printf '%s\\n' \"$DB_CA_CERTIFICATE\" > /etc/spalce/db-ca/rds-ca.pem"]
      secrets = [
        { name = "DB_CA_CERTIFICATE", valueFrom = "${aws_secretsmanager_secret.db_ca.arn}:certificate::" },
      ]
      mountPoints     = [{ sourceVolume = "db-ca", containerPath = "/etc/spalce/db-ca", readOnly = false }]
      linuxParameters = { capabilities = { drop = ["ALL"] } }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.service[name].name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "db-ca-init"
        }
      }
    }
  }

  # Fargate injects secrets as environment variables, while the gateway reads its TLS key pair from files:
  # this short-lived container (same image, same non-root user) writes them into the task's private
  # ephemeral volume, which the gateway mounts read-only, and exits before the gateway starts.
  gateway_tls_init = {
    name                   = "tls-init"
    image                  = "${aws_ecr_repository.service["auth-gateway"].repository_url}:${var.image_tag}"
    essential              = false
    user                   = "185"
    readonlyRootFilesystem = true
    entryPoint             = ["/bin/sh", "-c"]
    command                = ["umask 077 && printf '%s\\n' \"$TLS_CERTIFICATE\" > /etc/spalce/tls/tls.crt && printf '%s\\n' \"$TLS_PRIVATE_KEY\" > /etc/spalce/tls/tls.key"]
    secrets = [
      { name = "TLS_CERTIFICATE", valueFrom = "${aws_secretsmanager_secret.gateway_tls.arn}:certificate::" },
      { name = "TLS_PRIVATE_KEY", valueFrom = "${aws_secretsmanager_secret.gateway_tls.arn}:private_key::" },
    ]
    mountPoints     = [{ sourceVolume = "tls", containerPath = "/etc/spalce/tls", readOnly = false }]
    linuxParameters = { capabilities = { drop = ["ALL"] } }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.service["auth-gateway"].name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "tls-init"
      }
    }
  }
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

  volume {
    name = "db-ca"
  }

  dynamic "volume" {
    for_each = each.key == "auth-gateway" ? ["tls"] : []
    content {
      name = volume.value
    }
  }

  container_definitions = jsonencode(concat(
    each.key == "auth-gateway" ? [local.gateway_tls_init] : [],
    [local.db_ca_init[each.key], local.app_container[each.key]]
  ))
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
