locals {
  name       = "spalce-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # The five services. Every container listens on 8080 (HTTP, internal API) except the gateway, which serves
  # HTTPS on 8443; health and metrics answer on the management port 9000.
  services = {
    "auth-gateway"      = { port = 8443, cpu = 1024, memory = 2048 }
    "evidence-service"  = { port = 8080, cpu = 1024, memory = 2048 }
    "crypto-service"    = { port = 8080, cpu = 1024, memory = 2048 }
    "rewrap-worker"     = { port = 8080, cpu = 512, memory = 1024 }
    "audit-log-service" = { port = 8080, cpu = 512, memory = 2048 }
  }
  internal_services = { for name, service in local.services : name => service if name != "auth-gateway" }

  # Who calls whom over HTTP (the design's flows, and nothing else): each pair opens one security group rule.
  calls = {
    "auth-gateway"      = ["evidence-service", "crypto-service", "rewrap-worker", "audit-log-service"]
    "evidence-service"  = ["crypto-service"]
    "crypto-service"    = []
    "rewrap-worker"     = ["evidence-service", "crypto-service"]
    "audit-log-service" = []
  }
  call_pairs = merge([
    for from, targets in local.calls : { for to in targets : "${from}->${to}" => { from = from, to = to } }
  ]...)

  internal_url = { for name, service in local.internal_services : name => "http://${name}.${aws_service_discovery_private_dns_namespace.internal.name}:8080" }

  # Configuration every service reads from its environment (addresses and file paths only; secrets are
  # below). The RDS CA bundle is written into the task's db-ca volume by the db-ca-init container (ecs.tf).
  common_environment = [
    { name = "SPALCE_DB_HOST", value = aws_db_instance.main.address },
    { name = "SPALCE_DB_PORT", value = tostring(aws_db_instance.main.port) },
    { name = "SPALCE_DB_NAME", value = var.db_name },
    { name = "SPALCE_DB_CA_CERTIFICATE", value = "/etc/spalce/db-ca/rds-ca.pem" },
    { name = "SPALCE_DB_ADMIN_USER", value = var.db_admin_user },
    { name = "SPALCE_KAFKA_BOOTSTRAP", value = aws_msk_cluster.main.bootstrap_brokers_tls },
    { name = "SPALCE_OIDC_ISSUER", value = var.oidc_issuer },
    { name = "AWS_REGION", value = var.region },
  ]

  service_environment = {
    "auth-gateway" = [
      { name = "QUARKUS_HTTP_SSL_PORT", value = "8443" },
      { name = "SPALCE_TLS_CERTIFICATE", value = "/etc/spalce/tls/tls.crt" },
      { name = "SPALCE_TLS_KEY", value = "/etc/spalce/tls/tls.key" },
      { name = "QUARKUS_HTTP_INSECURE_REQUESTS", value = "disabled" },
      { name = "SPALCE_SERVICES_EVIDENCE_URL", value = local.internal_url["evidence-service"] },
      { name = "SPALCE_SERVICES_CRYPTO_URL", value = local.internal_url["crypto-service"] },
      { name = "SPALCE_SERVICES_REWRAP_URL", value = local.internal_url["rewrap-worker"] },
      { name = "SPALCE_SERVICES_AUDIT_URL", value = local.internal_url["audit-log-service"] },
    ]
    "evidence-service" = [
      { name = "QUARKUS_HTTP_PORT", value = "8080" },
      { name = "SPALCE_SERVICES_CRYPTO_URL", value = local.internal_url["crypto-service"] },
      { name = "SPALCE_S3_BUCKET", value = aws_s3_bucket.evidence.bucket },
      { name = "SPALCE_S3_REGION", value = var.region },
      # No encryption header of the service's own: the bucket's default applies, SSE-KMS with the evidence key
      # (s3.tf). The service's default, AES256, would store the objects under S3's own key instead.
      { name = "SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION", value = "none" },
    ]
    "crypto-service" = [
      { name = "QUARKUS_HTTP_PORT", value = "8080" },
      # The local keystore provider is refused in the prod profile: customers' KMS providers only.
      { name = "SPALCE_CRYPTO_LOCAL_ENABLED", value = "false" },
      # Customers' keys in AWS KMS, in AWS_REGION, with the task role's grant on var.customer_kms_key_arns.
      { name = "SPALCE_CRYPTO_AWS_KMS_ENABLED", value = "true" },
    ]
    "rewrap-worker" = [
      { name = "QUARKUS_HTTP_PORT", value = "8080" },
      { name = "SPALCE_SERVICES_EVIDENCE_URL", value = local.internal_url["evidence-service"] },
      { name = "SPALCE_SERVICES_CRYPTO_URL", value = local.internal_url["crypto-service"] },
    ]
    "audit-log-service" = [
      { name = "QUARKUS_HTTP_PORT", value = "8080" },
    ]
  }

  # Secrets, injected by ECS from Secrets Manager when the task starts (never in the task definition, the
  # image or the Terraform state). JSON keys of the secrets are listed in deploy/README.md. The internal-token
  # public key is not a secret, but it must be one value for all five services: they all read it from one
  # secret, which holds nothing else (the private key is in the gateway's own secret).
  db_admin_secret_arn = aws_db_instance.main.master_user_secret[0].secret_arn

  common_secrets = {
    for name, service in local.services : name => [
      { name = "SPALCE_DB_ADMIN_PASSWORD", valueFrom = "${local.db_admin_secret_arn}:password::" },
      { name = "SPALCE_DB_APP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.service[name].arn}:db_app_password::" },
      { name = "SPALCE_OIDC_SERVICE_SECRET", valueFrom = "${aws_secretsmanager_secret.service[name].arn}:oidc_client_secret::" },
      { name = "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY", valueFrom = "${aws_secretsmanager_secret.internal_token_public_key.arn}:public_key::" },
    ]
  }

  service_secrets = {
    "auth-gateway" = concat(local.common_secrets["auth-gateway"], [
      { name = "SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY", valueFrom = "${aws_secretsmanager_secret.service["auth-gateway"].arn}:internal_token_private_key::" },
      { name = "SPALCE_DASHBOARD_CLIENT_SECRET", valueFrom = "${aws_secretsmanager_secret.service["auth-gateway"].arn}:dashboard_client_secret::" },
      { name = "SPALCE_DASHBOARD_SESSION_SECRET", valueFrom = "${aws_secretsmanager_secret.service["auth-gateway"].arn}:dashboard_session_secret::" },
    ])
    "evidence-service" = concat(local.common_secrets["evidence-service"], [
      { name = "SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY", valueFrom = "${aws_secretsmanager_secret.service["evidence-service"].arn}:download_signing_key::" },
      { name = "SPALCE_PERSONNEL_BLIND_INDEX_KEY", valueFrom = "${aws_secretsmanager_secret.service["evidence-service"].arn}:blind_index_key::" },
    ])
    "crypto-service" = local.common_secrets["crypto-service"]
    "rewrap-worker"  = local.common_secrets["rewrap-worker"]
    "audit-log-service" = concat(local.common_secrets["audit-log-service"], [
      { name = "SPALCE_AUDIT_CHECKPOINT_PRIVATE_KEY", valueFrom = "${aws_secretsmanager_secret.service["audit-log-service"].arn}:checkpoint_private_key::" },
      { name = "SPALCE_AUDIT_CHECKPOINT_PUBLIC_KEY", valueFrom = "${aws_secretsmanager_secret.service["audit-log-service"].arn}:checkpoint_public_key::" },
    ])
  }

  # The secrets each service's execution role may read: its own, the migration role's, the shared
  # internal-token public key and RDS CA bundle (public values, nothing else in those secrets), and for the
  # gateway its TLS key pair.
  execution_secret_arns = {
    for name, service in local.services : name => concat(
      [aws_secretsmanager_secret.service[name].arn, local.db_admin_secret_arn],
      [aws_secretsmanager_secret.internal_token_public_key.arn, aws_secretsmanager_secret.db_ca.arn],
      name == "auth-gateway" ? [aws_secretsmanager_secret.gateway_tls.arn] : []
    )
  }
}
