# CloudTrail: every management event of every region (a trail of this region that records all of them),
# with log file validation (a signed digest file every hour, so a deleted or altered log file is detected:
# `aws cloudtrail validate-logs`), delivered to a KMS-encrypted bucket with Object Lock (s3.tf).

locals {
  trail_arn = "arn:${local.partition}:cloudtrail:${var.region}:${local.account_id}:trail/${local.name}"
}

resource "aws_cloudtrail" "main" {
  name                          = local.name
  s3_bucket_name                = aws_s3_bucket.cloudtrail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.cloudtrail.arn

  # S3 object-level events of the two buckets whose objects are evidence: who read or wrote which object.
  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.evidence.arn}/", "${aws_s3_bucket.audit_anchor.arn}/"]
    }
  }

  depends_on = [aws_s3_bucket_policy.cloudtrail]
}
