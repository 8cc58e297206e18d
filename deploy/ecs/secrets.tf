# The services' secrets in Secrets Manager, encrypted with Spalce's secrets key. Terraform creates the
# containers only: the values are put by an operator (deploy/README.md, "Secrets"), so that no secret value
# is ever written in this code or in the Terraform state. The migration role's password is RDS's own
# managed secret (data_stores.tf).

resource "aws_secretsmanager_secret" "service" {
  for_each                = local.services
  name                    = "${var.secret_name_prefix}/${each.key}"
  description             = "${each.key}: db_app_password, oidc_client_secret${each.key == "auth-gateway" ? ", internal_token_private_key" : each.key == "audit-log-service" ? ", checkpoint_private_key, checkpoint_public_key" : ""}"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret" "gateway_tls" {
  name                    = "${var.secret_name_prefix}/auth-gateway-tls"
  description             = "auth-gateway's TLS certificate and key (PEM): certificate, private_key"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 30
}

# The public half of the gateway's internal-token key pair (its private half is internal_token_private_key in
# the gateway's own secret). Not a secret, but every service must verify with the same key: all five read
# it from this one secret, which holds nothing else, so no execution role gains the private key.
resource "aws_secretsmanager_secret" "internal_token_public_key" {
  name                    = "${var.secret_name_prefix}/internal-token-public-key"
  description             = "auth-gateway's internal-token public key (EC P-256, X.509 SubjectPublicKeyInfo DER, base64), read by every service: public_key"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 30
}

# The RDS CA bundle (PEM, public), which every service needs as a file to verify PostgreSQL's certificate
# (verify-full). Kept here rather than in the images or the Terraform state; a short-lived init container
# writes it into each task's db-ca volume (ecs.tf).
resource "aws_secretsmanager_secret" "db_ca" {
  name                    = "${var.secret_name_prefix}/db-ca"
  description             = "The RDS CA bundle of the region (PEM) that every service trusts for PostgreSQL: certificate"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 30
}

# audit-log-service's checkpoint signing key (Ed25519, PKCS#8 PEM): in Secrets Manager, out of the database's
# reach, read by audit-log-service's execution role only and written to a file of its task (ecs.tf).
resource "aws_secretsmanager_secret" "audit_signing_key" {
  name                    = "${var.secret_name_prefix}/audit-log-service-signing-key"
  description             = "audit-log-service's checkpoint signing key (Ed25519, PKCS#8 PEM): private_key"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 30
}

# Each service's internal mutual-TLS key pair (pki.tf): certificate, private_key, ca (PEM).
resource "aws_secretsmanager_secret" "internal_tls" {
  for_each                = local.services
  name                    = "${var.secret_name_prefix}/${each.key}-internal-tls"
  description             = "${each.key}'s internal mTLS certificate (spiffe://spalce/${each.key}), its key and the internal CA (PEM): certificate, private_key, ca"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 7
}
