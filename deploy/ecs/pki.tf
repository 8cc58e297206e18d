# The internal CA: AWS Private CA, the root of every service's mutual-TLS certificate (internal HTTP hops and
# MSK client authentication, data_stores.tf). AWS Private CA rather than ECS Service Connect TLS: Service
# Connect terminates TLS in its proxy and presents no client certificate to the application, whereas the
# services authenticate each caller by the SPIFFE URI in its certificate (spiffe://spalce/SERVICE) and MSK
# needs a client certificate per service for its ACLs. Certificates are issued for 30 days (the issuing
# step is in deploy/README.md, "Internal certificates on ECS") with the key generated where it is issued,
# and rotated by writing the new pair to the service's internal-tls secret (secrets.tf) and rolling
# the service.

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
