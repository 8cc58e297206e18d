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

# The anchor bucket of the audit checkpoints (s3.tf): its own key, so that only audit-log-service's role
# (through S3) can use it.
resource "aws_kms_key" "audit_anchor" {
  description             = "${local.name}: the audit checkpoint anchor bucket (SSE-KMS)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "audit_anchor" {
  name          = "alias/${local.name}-audit-anchor"
  target_key_id = aws_kms_key.audit_anchor.key_id
}

# CloudWatch Logs (the services', MSK's, WAF's and the flow logs' groups). CloudWatch Logs is not an IAM
# principal of this account: the key policy must let it use the key, for log groups of this account only.
resource "aws_kms_key" "logs" {
  description             = "${local.name}: CloudWatch Logs log groups"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.logs_key.json
}

resource "aws_kms_alias" "logs" {
  name          = "alias/${local.name}-logs"
  target_key_id = aws_kms_key.logs.key_id
}

data "aws_iam_policy_document" "logs_key" {
  statement {
    sid       = "AccountAdministersThroughIam"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsOfThisAccount"
    effect    = "Allow"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"]
    }
  }
}

# CloudTrail's log files (cloudtrail.tf). CloudTrail encrypts as a service principal: the key policy lets it
# for this account's trail only, and lets the account's principals decrypt through IAM.
resource "aws_kms_key" "cloudtrail" {
  description             = "${local.name}: CloudTrail log files"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.cloudtrail_key.json
}

resource "aws_kms_alias" "cloudtrail" {
  name          = "alias/${local.name}-cloudtrail"
  target_key_id = aws_kms_key.cloudtrail.key_id
}

data "aws_iam_policy_document" "cloudtrail_key" {
  statement {
    sid       = "AccountAdministersThroughIam"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudTrailEncryptsThisAccountsTrail"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudtrail:${var.region}:${local.account_id}:trail/${local.name}"]
    }
  }
}
