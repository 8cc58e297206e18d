locals {
  name       = "spalce-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # The five services. Every container listens on 8080 (HTTP, internal API) except the gateway, which serves
  # HTTPS on 8443; health and metrics answer on the management port 9000 (TLS with the service's internal
  # certificate, no client certificate).
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
    "evidence-service"  = ["crypto-service", "audit-log-service"]
    "crypto-service"    = []
    "rewrap-worker"     = ["evidence-service", "crypto-service"]
    "audit-log-service" = []
  }
  call_pairs = {
    for pair in flatten([for from, targets in local.calls : [for to in targets : { from = from, to = to }]]) :
    format("%s->%s", pair.from, pair.to) => pair
  }

  # Every internal hop is mutual TLS: each service presents its internal certificate and checks its caller's.
  internal_url = {
    "evidence-service"  = "https://evidence-service.${aws_service_discovery_private_dns_namespace.internal.name}:8080"
    "crypto-service"    = "https://crypto-service.${aws_service_discovery_private_dns_namespace.internal.name}:8080"
    "rewrap-worker"     = "https://rewrap-worker.${aws_service_discovery_private_dns_namespace.internal.name}:8080"
    "audit-log-service" = "https://audit-log-service.${aws_service_discovery_private_dns_namespace.internal.name}:8080"
  }

  # Configuration every service reads from its environment (addresses and file paths only; secrets are
  # below). The RDS CA bundle is written into the task's db-ca volume by the db-ca-init container (ecs.tf).
  common_environment = [
    { name = "SPALCE_DB_HOST", value = aws_db_instance.main.address },
    { name = "SPALCE_DB_PORT", value = tostring(aws_db_instance.main.port) },
    { name = "SPALCE_DB_NAME", value = var.db_name },
    { name = "SPALCE_DB_CA_CERTIFICATE", value = "/etc/spalce/db-ca/rds-ca.pem" },
    { name = "SPALCE_INTERNAL_TLS_CERT", value = "/etc/spalce/internal-tls/tls.crt" },
    { name = "SPALCE_INTERNAL_TLS_KEY", value = "/etc/spalce/internal-tls/tls.key" },
    { name = "SPALCE_INTERNAL_TLS_CA", value = "/etc/spalce/internal-tls/ca.crt" },
    { name = "SPALCE_KAFKA_BOOTSTRAP", value = aws_msk_cluster.main.bootstrap_brokers_tls },
    { name = "SPALCE_OIDC_ISSUER", value = var.oidc_issuer },
    { name = "AWS_REGION", value = var.region },
  ]

  # The internal services believe X-Forwarded-For (the client's address in their audit events) only from the
  # private subnets, where the gateway's tasks run; their security groups admit only the gateway and their named
  # internal callers. Not given to the gateway, which believes only the ALB (SPALCE_GATEWAY_TRUSTED_PROXIES).
  internal_trusted_proxies = { name = "SPALCE_HTTP_TRUSTED_PROXIES", value = join(",", aws_subnet.private[*].cidr_block) }

  service_environment = {
    "auth-gateway" = [
      { name = "QUARKUS_HTTP_SSL_PORT", value = "8443" },
      # Only the ALB's nodes (public subnets) are believed about the client's address (X-Forwarded-For).
      { name = "SPALCE_GATEWAY_TRUSTED_PROXIES", value = join(",", aws_subnet.public[*].cidr_block) },
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
      local.internal_trusted_proxies,
      { name = "SPALCE_SERVICES_CRYPTO_URL", value = local.internal_url["crypto-service"] },
      { name = "SPALCE_SERVICES_AUDIT_URL", value = local.internal_url["audit-log-service"] },
      { name = "SPALCE_S3_BUCKET", value = aws_s3_bucket.evidence.bucket },
      { name = "SPALCE_S3_REGION", value = var.region },
      # No encryption header of the service's own: the bucket's default applies, SSE-KMS with the evidence key
      # (s3.tf). The service's default, AES256, would store the objects under S3's own key instead.
      { name = "SPALCE_EVIDENCE_S3_SERVER_SIDE_ENCRYPTION", value = "none" },
    ]
    "crypto-service" = [
      { name = "QUARKUS_HTTP_PORT", value = "8080" },
      local.internal_trusted_proxies,
      # The local keystore provider is refused in the prod profile: customers' KMS providers only.
      { name = "SPALCE_CRYPTO_LOCAL_ENABLED", value = "false" },
      # Customers' keys in AWS KMS, in AWS_REGION, with the task role's grant on var.customer_kms_key_arns.
      { name = "SPALCE_CRYPTO_AWS_KMS_ENABLED", value = "true" },
    ]
    "rewrap-worker" = [
      { name = "QUARKUS_HTTP_PORT", value = "8080" },
      local.internal_trusted_proxies,
      { name = "SPALCE_SERVICES_EVIDENCE_URL", value = local.internal_url["evidence-service"] },
      { name = "SPALCE_SERVICES_CRYPTO_URL", value = local.internal_url["crypto-service"] },
    ]
    "audit-log-service" = [
      { name = "QUARKUS_HTTP_PORT", value = "8080" },
      local.internal_trusted_proxies,
      # The write-once copy of every signed checkpoint (s3.tf: Object Lock in compliance mode).
      { name = "SPALCE_AUDIT_ANCHOR_BUCKET", value = aws_s3_bucket.audit_anchor.bucket },
      # The checkpoint signing key, written from Secrets Manager into the task's private volume (ecs.tf).
      { name = "SPALCE_AUDIT_SIGNING_KEY_FILE", value = "/etc/spalce/audit-signing/signing-key.pem" },
    ]
  }

  # Secrets, injected by ECS from Secrets Manager when the task starts (never in the task definition, the
  # image or the Terraform state). JSON keys of the secrets are listed in deploy/README.md. The internal-token
  # public key is not a secret, but it must be one value for all five services: they all read it from one
  # secret, which holds nothing else (the private key is in the gateway's own secret).
  db_admin_secret_arn = aws_db_instance.main.master_user_secret[0].secret_arn

  # The secrets of each service: its own database role and OIDC client, the shared internal-token public
  # key, and the secrets of this service alone. Never the migration role's password (migrations.tf).
  service_secrets = {
    "auth-gateway" = [
      { name = "SPALCE_DB_APP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.service["auth-gateway"].arn}:db_app_password::" },
      { name = "SPALCE_OIDC_SERVICE_SECRET", valueFrom = "${aws_secretsmanager_secret.service["auth-gateway"].arn}:oidc_client_secret::" },
      { name = "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY", valueFrom = "${aws_secretsmanager_secret.internal_token_public_key.arn}:public_key::" },
      { name = "SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY", valueFrom = "${aws_secretsmanager_secret.service["auth-gateway"].arn}:internal_token_private_key::" },
      { name = "SPALCE_DASHBOARD_CLIENT_SECRET", valueFrom = "${aws_secretsmanager_secret.service["auth-gateway"].arn}:dashboard_client_secret::" },
      { name = "SPALCE_DASHBOARD_SESSION_SECRET", valueFrom = "${aws_secretsmanager_secret.service["auth-gateway"].arn}:dashboard_session_secret::" },
    ]
    "evidence-service" = [
      { name = "SPALCE_DB_APP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.service["evidence-service"].arn}:db_app_password::" },
      { name = "SPALCE_OIDC_SERVICE_SECRET", valueFrom = "${aws_secretsmanager_secret.service["evidence-service"].arn}:oidc_client_secret::" },
      { name = "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY", valueFrom = "${aws_secretsmanager_secret.internal_token_public_key.arn}:public_key::" },
      { name = "SPALCE_EVIDENCE_DOWNLOAD_SIGNING_KEY", valueFrom = "${aws_secretsmanager_secret.service["evidence-service"].arn}:download_signing_key::" },
      { name = "SPALCE_PERSONNEL_BLIND_INDEX_KEY", valueFrom = "${aws_secretsmanager_secret.service["evidence-service"].arn}:blind_index_key::" },
      { name = "SPALCE_EVIDENCE_EXPORT_SIGNING_KEY", valueFrom = "${aws_secretsmanager_secret.service["evidence-service"].arn}:export_signing_key::" },
    ]
    "crypto-service" = [
      { name = "SPALCE_DB_APP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.service["crypto-service"].arn}:db_app_password::" },
      { name = "SPALCE_OIDC_SERVICE_SECRET", valueFrom = "${aws_secretsmanager_secret.service["crypto-service"].arn}:oidc_client_secret::" },
      { name = "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY", valueFrom = "${aws_secretsmanager_secret.internal_token_public_key.arn}:public_key::" },
    ]
    "rewrap-worker" = [
      { name = "SPALCE_DB_APP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.service["rewrap-worker"].arn}:db_app_password::" },
      { name = "SPALCE_OIDC_SERVICE_SECRET", valueFrom = "${aws_secretsmanager_secret.service["rewrap-worker"].arn}:oidc_client_secret::" },
      { name = "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY", valueFrom = "${aws_secretsmanager_secret.internal_token_public_key.arn}:public_key::" },
    ]
    "audit-log-service" = [
      { name = "SPALCE_DB_APP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.service["audit-log-service"].arn}:db_app_password::" },
      { name = "SPALCE_OIDC_SERVICE_SECRET", valueFrom = "${aws_secretsmanager_secret.service["audit-log-service"].arn}:oidc_client_secret::" },
      { name = "SPALCE_INTERNAL_TOKEN_PUBLIC_KEY", valueFrom = "${aws_secretsmanager_secret.internal_token_public_key.arn}:public_key::" },
    ]
  }

  # The files each service reads (written by files-init, ecs.tf), beyond the RDS CA bundle and its internal
  # mTLS key pair, which every service reads: the public TLS key pair (the gateway) and the checkpoint
  # signing key (audit-log-service): volume -> directory, the secrets and the shell line that writes them.
  file_volumes = {
    "auth-gateway"      = { "db-ca" = "/etc/spalce/db-ca", "internal-tls" = "/etc/spalce/internal-tls", "tls" = "/etc/spalce/tls" }
    "evidence-service"  = { "db-ca" = "/etc/spalce/db-ca", "internal-tls" = "/etc/spalce/internal-tls" }
    "crypto-service"    = { "db-ca" = "/etc/spalce/db-ca", "internal-tls" = "/etc/spalce/internal-tls" }
    "rewrap-worker"     = { "db-ca" = "/etc/spalce/db-ca", "internal-tls" = "/etc/spalce/internal-tls" }
    "audit-log-service" = { "db-ca" = "/etc/spalce/db-ca", "internal-tls" = "/etc/spalce/internal-tls", "audit-signing" = "/etc/spalce/audit-signing" }
  }
  extra_file_secrets = {
    "auth-gateway" = [
      { name = "TLS_CERTIFICATE", valueFrom = "${aws_secretsmanager_secret.gateway_tls.arn}:certificate::" },
      { name = "TLS_PRIVATE_KEY", valueFrom = "${aws_secretsmanager_secret.gateway_tls.arn}:private_key::" },
    ]
    "evidence-service" = []
    "crypto-service"   = []
    "rewrap-worker"    = []
    "audit-log-service" = [
      { name = "AUDIT_SIGNING_KEY", valueFrom = "${aws_secretsmanager_secret.audit_signing_key.arn}:private_key::" },
    ]
  }
  extra_file_commands = {
    "auth-gateway"      = " && printf '%s\\n' \"$TLS_CERTIFICATE\" > /etc/spalce/tls/tls.crt && printf '%s\\n' \"$TLS_PRIVATE_KEY\" > /etc/spalce/tls/tls.key"
    "evidence-service"  = ""
    "crypto-service"    = ""
    "rewrap-worker"     = ""
    "audit-log-service" = " && printf '%s\\n' \"$AUDIT_SIGNING_KEY\" > /etc/spalce/audit-signing/signing-key.pem"
  }

  # The secrets each service's execution role may read: its own, its internal mTLS key pair, the shared
  # internal-token public key and RDS CA bundle (public values, nothing else in those secrets), for the
  # gateway its TLS key pair, for audit-log-service its checkpoint signing key. Never the migration role's:
  # only the migration task (migrations.tf) reads that one.
  execution_secret_arns = {
    for name, service in local.services : name => concat(
      [aws_secretsmanager_secret.service[name].arn, aws_secretsmanager_secret.internal_tls[name].arn],
      [aws_secretsmanager_secret.internal_token_public_key.arn, aws_secretsmanager_secret.db_ca.arn],
      name == "auth-gateway" ? [aws_secretsmanager_secret.gateway_tls.arn] : [],
      name == "audit-log-service" ? [aws_secretsmanager_secret.audit_signing_key.arn] : []
    )
  }
}
