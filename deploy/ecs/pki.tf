# The internal CA: AWS Private CA, the root of every service's mutual-TLS certificate (internal HTTP hops and
# MSK client authentication, data_stores.tf). AWS Private CA rather than ECS Service Connect TLS: Service
# Connect terminates TLS in its proxy and presents no client certificate to the application, whereas the
# services authenticate each caller by the SPIFFE URI in its certificate (spiffe://spalce/SERVICE) and MSK
# needs a client certificate per service for its ACLs.
# Each service's certificate is issued and renewed automatically: the secret spalce/SERVICE-internal-tls is rotated
# by Secrets Manager every internal_certificate_rotation_days with the function below, which makes a new key pair,
# has this CA issue it for internal_certificate_validity_days (30; at most 90), and redeploys the service so that its
# tasks write the new pair (ecs.tf, files-init). The first rotation runs when the secret is created.

resource "aws_acmpca_certificate_authority" "internal" {
  type       = "ROOT"
  usage_mode = "GENERAL_PURPOSE"

  certificate_authority_configuration {
    key_algorithm     = "EC_prime256v1"
    signing_algorithm = "SHA256WITHECDSA"

    subject {
      common_name  = "Spalce internal CA (${var.environment})"
      organization = "Spalce"
    }
  }

  permanent_deletion_time_in_days = 30
}

resource "aws_acmpca_certificate" "internal_root" {
  certificate_authority_arn   = aws_acmpca_certificate_authority.internal.arn
  certificate_signing_request = aws_acmpca_certificate_authority.internal.certificate_signing_request
  signing_algorithm           = "SHA256WITHECDSA"
  template_arn                = "arn:${local.partition}:acm-pca:::template/RootCACertificate/V1"

  validity {
    type  = "YEARS"
    value = 5
  }
}

resource "aws_acmpca_certificate_authority_certificate" "internal" {
  certificate_authority_arn = aws_acmpca_certificate_authority.internal.arn
  certificate               = aws_acmpca_certificate.internal_root.certificate
  certificate_chain         = aws_acmpca_certificate.internal_root.certificate_chain
}

# --- Automatic issuance and rotation of the services' certificates ---------------------------------------------

locals {
  # The APIPassthrough template: the CA takes the subject (CN=SERVICE) and the SANs (the SPIFFE URI, the DNS names)
  # from the request, which a CSR's extensions alone cannot carry through a plain end-entity template.
  internal_certificate_template_arn = "arn:${local.partition}:acm-pca:::template/EndEntityCertificate_APIPassthrough/V1"
}

data "archive_file" "internal_certificates" {
  type        = "zip"
  source_dir  = "${path.module}/lambda/internal-certificates"
  output_path = "${path.module}/.build/internal-certificates.zip"
}

resource "aws_cloudwatch_log_group" "internal_certificates" {
  name              = "/spalce/${var.environment}/internal-certificates"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# Outside the VPC on purpose: it calls AWS APIs only (Private CA, Secrets Manager, ECS) and takes no connection, and
# a function inside the VPC would need ec2:CreateNetworkInterface and its companions on "*" for its network
# interfaces, the kind of grant this module allows nowhere.
resource "aws_lambda_function" "internal_certificates" {
  #checkov:skip=CKV_AWS_117:Calls AWS APIs only and takes no connection; inside a VPC it would need EC2 network-interface permissions on "*".
  #checkov:skip=CKV_AWS_116:Invoked synchronously by Secrets Manager, which retries and reports a failed rotation itself; a dead-letter queue would never receive anything.
  #checkov:skip=CKV_AWS_272:The code is deployed by this module from the repository (archive_file), not from an artifact a signer could sign first.
  #checkov:skip=CKV_AWS_50:X-Ray needs xray:PutTraceSegments on "*" (no resource-level permissions); the module grants "*" nowhere but ECR's token. The function logs each rotation.
  #checkov:skip=CKV_AWS_173:Its environment holds no secret (ARNs, names, day counts); the key pair it makes goes to Secrets Manager only.
  function_name                  = "${local.name}-internal-certificates"
  description                    = "Issues the services' internal mTLS certificates from the internal Private CA (rotation of spalce/SERVICE-internal-tls)"
  role                           = aws_iam_role.internal_certificates.arn
  runtime                        = "nodejs20.x"
  handler                        = "index.handler"
  filename                       = data.archive_file.internal_certificates.output_path
  source_code_hash               = data.archive_file.internal_certificates.output_base64sha256
  timeout                        = 300
  memory_size                    = 256
  reserved_concurrent_executions = 5

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.internal_certificates.name
  }

  environment {
    variables = {
      CA_ARN             = aws_acmpca_certificate_authority.internal.arn
      TEMPLATE_ARN       = local.internal_certificate_template_arn
      VALIDITY_DAYS      = var.internal_certificate_validity_days
      MIN_REMAINING_DAYS = var.internal_certificate_rotation_days
      CLUSTER            = aws_ecs_cluster.main.name
      INTERNAL_DOMAIN    = aws_service_discovery_private_dns_namespace.internal.name
      SERVICES           = join(",", keys(local.services))
    }
  }

  lifecycle {
    precondition {
      condition     = var.internal_certificate_rotation_days + 7 <= var.internal_certificate_validity_days
      error_message = "internal_certificate_rotation_days must leave at least 7 days of validity before the next rotation."
    }
  }

  depends_on = [aws_acmpca_certificate_authority_certificate.internal]
}

resource "aws_lambda_permission" "internal_certificates" {
  for_each       = aws_secretsmanager_secret.internal_tls
  statement_id   = "RotateInternalTlsOf-${each.key}"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.internal_certificates.function_name
  principal      = "secretsmanager.amazonaws.com"
  source_arn     = each.value.arn
  source_account = local.account_id
}

resource "aws_secretsmanager_secret_rotation" "internal_tls" {
  for_each            = aws_secretsmanager_secret.internal_tls
  secret_id           = each.value.id
  rotation_lambda_arn = aws_lambda_function.internal_certificates.arn
  # The first certificate is issued at once, when Terraform creates the rotation.
  rotate_immediately = true

  rotation_rules {
    automatically_after_days = var.internal_certificate_rotation_days
  }

  depends_on = [aws_lambda_permission.internal_certificates]
}

data "aws_iam_policy_document" "internal_certificates_assume" {
  statement {
    sid     = "LambdaOfThisAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "internal_certificates" {
  name               = "${local.name}-internal-certificates"
  assume_role_policy = data.aws_iam_policy_document.internal_certificates_assume.json
}

data "aws_iam_policy_document" "internal_certificates" {
  # Issue from the internal CA, with the APIPassthrough template only (no CA certificate, no other template).
  statement {
    sid       = "IssueFromTheInternalCa"
    effect    = "Allow"
    actions   = ["acm-pca:IssueCertificate"]
    resources = [aws_acmpca_certificate_authority.internal.arn]

    condition {
      test     = "StringEquals"
      variable = "acm-pca:TemplateArn"
      values   = [local.internal_certificate_template_arn]
    }
  }

  statement {
    sid       = "ReadIssuedCertificates"
    effect    = "Allow"
    actions   = ["acm-pca:GetCertificate", "acm-pca:GetCertificateAuthorityCertificate"]
    resources = [aws_acmpca_certificate_authority.internal.arn]
  }

  statement {
    sid     = "RotateTheInternalTlsSecrets"
    effect  = "Allow"
    actions = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"]
    # Written out, not a for expression: the deployment checks read the list.
    resources = [
      aws_secretsmanager_secret.internal_tls["auth-gateway"].arn,
      aws_secretsmanager_secret.internal_tls["evidence-service"].arn,
      aws_secretsmanager_secret.internal_tls["crypto-service"].arn,
      aws_secretsmanager_secret.internal_tls["rewrap-worker"].arn,
      aws_secretsmanager_secret.internal_tls["audit-log-service"].arn,
    ]
  }

  statement {
    sid       = "EncryptSecretsThroughSecretsManager"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.secrets.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
  }

  # Redeploy the service whose certificate was renewed: its new tasks write the new pair.
  statement {
    sid     = "RedeployTheServices"
    effect  = "Allow"
    actions = ["ecs:UpdateService"]
    resources = [
      aws_ecs_service.service["auth-gateway"].id,
      aws_ecs_service.service["evidence-service"].id,
      aws_ecs_service.service["crypto-service"].id,
      aws_ecs_service.service["rewrap-worker"].id,
      aws_ecs_service.service["audit-log-service"].id,
    ]
  }

  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.internal_certificates.arn}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "internal_certificates" {
  name   = "issue-internal-certificates"
  role   = aws_iam_role.internal_certificates.id
  policy = data.aws_iam_policy_document.internal_certificates.json
}
