variable "region" {
  description = "AWS region of the whole stack."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Environment name (dev, staging, prod, ...): part of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment: 2-16 characters, lower case letters, digits and dashes."
  }
}

variable "availability_zones" {
  description = "Availability zones to spread subnets, tasks, the database and the brokers over (at least two)."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones."
  }
}

variable "vpc_cidr" {
  description = "The VPC's address range (a /16): public, private (tasks) and data (RDS, MSK) subnets are carved from it."
  type        = string
  default     = "10.30.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && endswith(var.vpc_cidr, "/16")
    error_message = "vpc_cidr must be a /16."
  }
}

variable "public_host" {
  description = "The public API host name (api.example.com): ACM issues the load balancer's certificate for it, validated by DNS in route53_zone_id."
  type        = string
}

variable "route53_zone_id" {
  description = "The Route 53 hosted zone of public_host, where ACM's DNS validation record is written."
  type        = string
}

variable "eks_oidc_provider_arn" {
  description = "The IAM OIDC provider of the EKS cluster that runs the Kubernetes deployment (IRSA), or empty when Spalce runs on ECS only."
  type        = string
  default     = ""
}

variable "eks_namespace" {
  description = "The Kubernetes namespace of the Spalce ServiceAccounts (IRSA trust)."
  type        = string
  default     = "spalce"
}

variable "audit_anchor_retention_days" {
  description = "How long each anchored audit checkpoint is locked (Object Lock, compliance mode: nobody, root included, can delete or shorten it)."
  type        = number
  default     = 2557
}

variable "cloudtrail_retention_days" {
  description = "How long each CloudTrail log file is locked (Object Lock, compliance mode)."
  type        = number
  default     = 400
}

variable "image_tag" {
  description = "Release tag of the five images in their ECR repositories (immutable tags; never latest)."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a release tag, not latest."
  }
}

variable "oidc_issuer" {
  description = "Issuer URL of the OpenID Connect provider (users' tokens and the services' client credentials)."
  type        = string

  validation {
    condition     = can(regex("^https://", var.oidc_issuer))
    error_message = "The OIDC issuer must be an https:// URL."
  }
}

variable "customer_kms_key_arns" {
  description = "ARNs of the customers' AWS KMS keys that crypto-service may use (each customer's key policy must also grant crypto-service's task role). Key ARNs only: no alias, no wildcard."
  type        = list(string)

  validation {
    condition     = length(var.customer_kms_key_arns) > 0 && alltrue([for arn in var.customer_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", arn))])
    error_message = "customer_kms_key_arns: one or more KMS key ARNs (arn:aws:kms:REGION:ACCOUNT:key/ID), without wildcards or aliases."
  }
}

variable "secret_name_prefix" {
  description = "Prefix of the Secrets Manager secret names (PREFIX/SERVICE). One environment per account is assumed, as on Kubernetes."
  type        = string
  default     = "spalce"
}

variable "db_name" {
  description = "PostgreSQL database that holds every service's schema."
  type        = string
  default     = "spalce"
}

variable "db_admin_user" {
  description = "PostgreSQL master user: the migration role (Flyway creates each service's schema and role). Its password is generated and kept by RDS in Secrets Manager."
  type        = string
  default     = "spalce_admin"
}

variable "postgres_version" {
  description = "PostgreSQL engine version."
  type        = string
  default     = "16.4"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.r6g.large"
}

variable "db_allocated_storage" {
  description = "RDS storage in GiB (grows automatically up to four times this)."
  type        = number
  default     = 100
}

variable "db_multi_az" {
  description = "Run the database with a standby in a second zone."
  type        = bool
  default     = true
}

variable "kafka_version" {
  description = "Apache Kafka version of the MSK cluster."
  type        = string
  default     = "3.6.0"
}

variable "msk_instance_type" {
  description = "MSK broker instance type."
  type        = string
  default     = "kafka.m5.large"
}

variable "msk_volume_size" {
  description = "EBS storage per broker in GiB."
  type        = number
  default     = 100
}

variable "service_desired_count" {
  description = "Tasks per service (at least two in production). The gateway and rewrap-worker scale above it."
  type        = number
  default     = 2

  validation {
    condition     = var.service_desired_count >= 1
    error_message = "At least one task per service."
  }
}

variable "gateway_max_count" {
  description = "Upper bound of the gateway's CPU-based autoscaling."
  type        = number
  default     = 10
}

variable "rewrap_max_count" {
  description = "Upper bound of rewrap-worker's lag-based autoscaling (more than the partitions of spalce.keys.v1 would idle)."
  type        = number
  default     = 6
}

variable "rewrap_lag_threshold" {
  description = "Consumer lag (messages of spalce.keys.v1 unread by the group rewrap-worker) above which rewrap-worker scales out."
  type        = number
  default     = 500
}

variable "waf_rate_limit" {
  description = "Requests per five minutes from one IP address above which WAF blocks it."
  type        = number
  default     = 2000
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts, 30 days or more."
  }
}

variable "deletion_protection" {
  description = "Protect the database and the load balancer from deletion."
  type        = bool
  default     = true
}

variable "metrics_scraper_security_group_ids" {
  description = "Security groups of a Prometheus (or collector) allowed to scrape /q/metrics on port 9000 of every task."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

variable "internal_certificate_validity_days" {
  description = "Lifetime of each service's internal mTLS certificate, issued by the internal Private CA (pki.tf)."
  type        = number
  default     = 30

  validation {
    condition     = var.internal_certificate_validity_days >= 14 && var.internal_certificate_validity_days <= 90
    error_message = "Internal certificates live between 14 and 90 days."
  }
}

variable "internal_certificate_rotation_days" {
  description = "Days between two rotations of a service's internal certificate (Secrets Manager rotation of its internal-tls secret)."
  type        = number
  default     = 20

  validation {
    condition     = var.internal_certificate_rotation_days >= 1 && var.internal_certificate_rotation_days <= 83
    error_message = "Rotate at least every 83 days (a certificate lives 90 days at most, renewed 7 days before its end)."
  }
}
