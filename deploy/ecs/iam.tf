# IAM: per Spalce service one task role (what the application may do in AWS) and one execution role (what
# ECS may do to start its task: pull its image, write its logs, read its secrets). Every statement names
# its actions and resources; nothing grants "*", with one documented exception (ecr:GetAuthorizationToken).

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    sid     = "EcsTasksOfThisAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# --- Task roles: the application's own permissions -----------------------------------------------------

resource "aws_iam_role" "task" {
  for_each           = local.services
  name               = "${local.name}-${each.key}-task"
  description        = "${each.key}: the application's AWS permissions (none unless a policy below grants some)"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# crypto-service: the one service that uses KMS, on the customers' keys it is granted, for what its aws-kms
# provider calls: wrap (Encrypt), unwrap (Decrypt), server-side rewrap (ReEncrypt*), the key's checks (DescribeKey),
# its versions (ListKeyRotations) and rotation on demand (RotateKeyOnDemand). DEKs are minted in crypto-service, so
# no GenerateDataKey.
data "aws_iam_policy_document" "crypto_task" {
  statement {
    sid    = "CustomerKeysEnvelopeEncryption"
    effect = "Allow"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:DescribeKey",
      "kms:ListKeyRotations",
      "kms:RotateKeyOnDemand",
    ]
    resources = var.customer_kms_key_arns
  }
}

resource "aws_iam_role_policy" "crypto_task" {
  name   = "customer-kms-keys"
  role   = aws_iam_role.task["crypto-service"].id
  policy = data.aws_iam_policy_document.crypto_task.json
}

# evidence-service: what BlobStore calls on its bucket's objects (PutObject also covers CreateMultipartUpload,
# UploadPart and CompleteMultipartUpload; AbortMultipartUpload is its own action, called on every failed
# upload), listing its bucket, and the bucket's SSE-KMS key through S3 only.
data "aws_iam_policy_document" "evidence_task" {
  statement {
    sid       = "EvidenceObjects"
    effect    = "Allow"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.evidence.arn}/*"]
  }

  statement {
    sid       = "EvidenceBucketListing"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.evidence.arn]
  }

  statement {
    sid       = "EvidenceBucketKeyThroughS3"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.evidence.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "evidence_task" {
  name   = "evidence-bucket"
  role   = aws_iam_role.task["evidence-service"].id
  policy = data.aws_iam_policy_document.evidence_task.json
}

# audit-log-service: writes each signed checkpoint to the anchor bucket and reads them back to verify
# (s3.tf: Object Lock in compliance mode, so a written checkpoint cannot be overwritten or deleted, not even
# by this role), and the anchor key through S3 only.
data "aws_iam_policy_document" "audit_task" {
  statement {
    sid       = "AnchorCheckpoints"
    effect    = "Allow"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${aws_s3_bucket.audit_anchor.arn}/*"]
  }

  statement {
    sid       = "AnchorListing"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.audit_anchor.arn]
  }

  statement {
    sid       = "AnchorKeyThroughS3"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.audit_anchor.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "audit_task" {
  name   = "audit-anchor"
  role   = aws_iam_role.task["audit-log-service"].id
  policy = data.aws_iam_policy_document.audit_task.json
}

# auth-gateway and rewrap-worker call no AWS API: their task roles have no policy.

# --- Execution roles: what ECS needs to start each service's task ---------------------------------------

resource "aws_iam_role" "execution" {
  for_each           = local.services
  name               = "${local.name}-${each.key}-execution"
  description        = "ECS starting ${each.key}: its image, its log group, its secrets"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  for_each = local.services

  # The one exception to "no resource *": ecr:GetAuthorizationToken has no resource-level permissions (the
  # token is per registry, not per repository), so IAM accepts only "*" here. What the token can pull is
  # limited by the next statement, to this service's repository.
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
    resources = ["${aws_cloudwatch_log_group.service[each.key].arn}:log-stream:*"]
  }

  statement {
    sid       = "ReadOwnSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.execution_secret_arns[each.key]
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

resource "aws_iam_role_policy" "execution" {
  for_each = local.services
  name     = "start-${each.key}"
  role     = aws_iam_role.execution[each.key].id
  policy   = data.aws_iam_policy_document.execution[each.key].json
}

# --- VPC flow logs ----------------------------------------------------------------------------------------

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    sid     = "VpcFlowLogsOfThisAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name               = "${local.name}-vpc-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json
}

data "aws_iam_policy_document" "flow_logs" {
  statement {
    sid       = "WriteFlowLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow_logs.arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json
}
