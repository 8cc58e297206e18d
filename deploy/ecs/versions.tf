terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    # Packs the certificate rotation function (pki.tf) from lambda/internal-certificates.
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
  }

  # State holds ARNs, addresses and the like (never a secret value: no secret is created with a value here).
  # Keep it in an encrypted, versioned, access-controlled backend; configure it at init time:
  #   terraform init -backend-config=backend.hcl
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, {
      "app"         = "spalce"
      "environment" = var.environment
      "managed-by"  = "terraform"
    })
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
