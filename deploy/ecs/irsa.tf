# IAM roles for the Kubernetes ServiceAccounts (IRSA) of the services that call AWS, for a deployment on EKS
# (deploy/k8s): created when var.eks_oidc_provider_arn names the cluster's OIDC provider. Each role trusts
# exactly one ServiceAccount (namespace and name) with the STS audience, and carries the same policy as the
# service's ECS task role (iam.tf): one policy document per service, two roles.

locals {
  # The services with AWS permissions, and their one policy document each.
  aws_service_policies = {
    "crypto-service"    = data.aws_iam_policy_document.crypto_task.json
    "evidence-service"  = data.aws_iam_policy_document.evidence_task.json
    "audit-log-service" = data.aws_iam_policy_document.audit_task.json
  }
  irsa_services   = var.eks_oidc_provider_arn == "" ? {} : local.aws_service_policies
  eks_oidc_issuer = var.eks_oidc_provider_arn == "" ? "" : element(split("oidc-provider/", var.eks_oidc_provider_arn), 1)

  # Who may write the audit anchor bucket (s3.tf): audit-log-service's task role and, on EKS, its IRSA role.
  audit_anchor_writer_arns = concat(
    [aws_iam_role.task["audit-log-service"].arn],
    var.eks_oidc_provider_arn == "" ? [] : [format("arn:%s:iam::%s:role/%s-audit-log-service", local.partition, local.account_id, local.name)]
  )
}

data "aws_iam_policy_document" "irsa_assume" {
  for_each = local.irsa_services

  statement {
    sid     = "OneServiceAccountOfTheCluster"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.eks_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.eks_oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.eks_namespace}:${each.key}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.eks_oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each           = local.irsa_services
  name               = "${local.name}-${each.key}"
  description        = "${each.key} on EKS: the same AWS permissions as its ECS task role"
  assume_role_policy = data.aws_iam_policy_document.irsa_assume[each.key].json
}

resource "aws_iam_role_policy" "irsa" {
  for_each = local.irsa_services
  name     = "${each.key}-permissions"
  role     = aws_iam_role.irsa[each.key].id
  policy   = each.value
}
