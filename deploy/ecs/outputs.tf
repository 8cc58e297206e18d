output "load_balancer_dns_name" {
  description = "Point the public API host's DNS record (alias) here."
  value       = aws_lb.public.dns_name
}

output "ecr_repository_urls" {
  description = "Where to push each service's image (tag: var.image_tag)."
  value       = { for name, repository in aws_ecr_repository.service : name => repository.repository_url }
}

output "service_secret_arns" {
  description = "Secrets whose values an operator puts before the first deployment (deploy/README.md, \"Secrets\")."
  value = merge(
    { for name, secret in aws_secretsmanager_secret.service : name => secret.arn },
    {
      "auth-gateway-tls"          = aws_secretsmanager_secret.gateway_tls.arn
      "internal-token-public-key" = aws_secretsmanager_secret.internal_token_public_key.arn
      "db-ca"                     = aws_secretsmanager_secret.db_ca.arn
    }
  )
}

output "db_admin_secret_arn" {
  description = "The migration role's password, generated and rotated by RDS."
  value       = local.db_admin_secret_arn
}

output "task_role_arns" {
  description = "Each service's task role (crypto-service's must be granted in the customers' key policies)."
  value       = { for name, role in aws_iam_role.task : name => role.arn }
}

output "kafka_bootstrap_brokers_tls" {
  description = "MSK's TLS bootstrap brokers (create the topics from dev.spalce.contracts.Topic)."
  value       = aws_msk_cluster.main.bootstrap_brokers_tls
}

output "irsa_role_arns" {
  description = "The IRSA role of each Kubernetes ServiceAccount that calls AWS: the value of its eks.amazonaws.com/role-arn annotation."
  value       = { for name, role in aws_iam_role.irsa : name => role.arn }
}

output "migration_task_definitions" {
  description = "The one-off migration task of each service: run each to completion before rolling out its service."
  value       = { for name, task in aws_ecs_task_definition.migrate : name => task.arn }
}

output "internal_ca_arn" {
  description = "The AWS Private CA that issues the services' internal mTLS certificates (and that MSK trusts for client authentication)."
  value       = aws_acmpca_certificate_authority.internal.arn
}

output "ecs_cluster_name" {
  description = "The ECS cluster (run-migrations.sh)."
  value       = aws_ecs_cluster.main.name
}

output "private_subnet_ids" {
  description = "The private subnets the tasks run in (run-migrations.sh)."
  value       = aws_subnet.private[*].id
}

output "service_security_group_ids" {
  description = "Each service's security group; its migration task runs in it (run-migrations.sh)."
  value       = { for name, group in aws_security_group.service : name => group.id }
}
