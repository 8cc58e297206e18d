# One image repository per service: immutable tags (a release tag always names the same image), scanned on
# push.
resource "aws_ecr_repository" "service" {
  for_each             = local.services
  name                 = "spalce/${each.key}"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}
