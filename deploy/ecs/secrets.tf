# The services' secrets in Secrets Manager, encrypted with Spalce's secrets key. Terraform creates the
# containers only: the values are put by an operator (deploy/README.md, "Secrets"), so that no secret value
# is ever written in this code or in the Terraform state. The migration role's password is RDS's own
# managed secret (data_stores.tf).

resource "aws_secretsmanager_secret" "service" {
  for_each                = local.services
  name                    = "${var.secret_name_prefix}/${each.key}"
  description             = "${each.key}: db_app_password, oidc_client_secret${each.key == "audit-log-service" ? ", checkpoint_private_key, checkpoint_public_key" : ""}"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret" "gateway_tls" {
  name                    = "${var.secret_name_prefix}/auth-gateway-tls"
  description             = "auth-gateway's TLS certificate and key (PEM): certificate, private_key"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 30
}
