# Spalce's own keys (the customers' master keys live in the customers' accounts: var.customer_kms_key_arns).
# Key policies are the AWS default: the account delegates to IAM, and the IAM policies in iam.tf decide who
# may use which key, for what, through which service. Rotation every year.

resource "aws_kms_key" "data" {
  description             = "${local.name}: PostgreSQL (RDS) and Kafka (MSK) storage"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name}-data"
  target_key_id = aws_kms_key.data.key_id
}

resource "aws_kms_key" "evidence" {
  description             = "${local.name}: the evidence bucket (SSE-KMS)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "evidence" {
  name          = "alias/${local.name}-evidence"
  target_key_id = aws_kms_key.evidence.key_id
}

resource "aws_kms_key" "secrets" {
  description             = "${local.name}: Secrets Manager secrets of the services"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${local.name}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}
