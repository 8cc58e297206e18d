# Security groups: one per Spalce service, plus the load balancer, the database, the brokers and the VPC
# endpoints. Every rule is a separate resource and names its peer security group: no service is reachable
# from an address range, only from the groups of its callers (local.calls).

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Public load balancer: HTTPS (and HTTP, redirected) from the internet, to the gateway only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from the internet"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from the internet, answered with a redirect to HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_gateway" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the gateway's HTTPS port"
  referenced_security_group_id = aws_security_group.service["auth-gateway"].id
  ip_protocol                  = "tcp"
  from_port                    = 8443
  to_port                      = 8443
}

resource "aws_vpc_security_group_egress_rule" "alb_to_gateway_health" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Health checks on the gateway's management port"
  referenced_security_group_id = aws_security_group.service["auth-gateway"].id
  ip_protocol                  = "tcp"
  from_port                    = 9000
  to_port                      = 9000
}

resource "aws_security_group" "service" {
  for_each    = local.services
  name        = "${local.name}-${each.key}"
  description = "Tasks of ${each.key}"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "gateway_from_alb" {
  security_group_id            = aws_security_group.service["auth-gateway"].id
  description                  = "HTTPS from the load balancer"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = 8443
  to_port                      = 8443
}

resource "aws_vpc_security_group_ingress_rule" "gateway_health_from_alb" {
  security_group_id            = aws_security_group.service["auth-gateway"].id
  description                  = "Health checks from the load balancer"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = 9000
  to_port                      = 9000
}

# Service to service: one ingress rule on the callee and one egress rule on the caller per pair of local.calls.
resource "aws_vpc_security_group_ingress_rule" "service_from_caller" {
  for_each                     = local.call_pairs
  security_group_id            = aws_security_group.service[each.value.to].id
  description                  = "${each.value.from} calls ${each.value.to}"
  referenced_security_group_id = aws_security_group.service[each.value.from].id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
}

resource "aws_vpc_security_group_egress_rule" "caller_to_service" {
  for_each                     = local.call_pairs
  security_group_id            = aws_security_group.service[each.value.from].id
  description                  = "${each.value.from} calls ${each.value.to}"
  referenced_security_group_id = aws_security_group.service[each.value.to].id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
}

resource "aws_vpc_security_group_egress_rule" "service_to_postgres" {
  for_each                     = local.services
  security_group_id            = aws_security_group.service[each.key].id
  description                  = "PostgreSQL"
  referenced_security_group_id = aws_security_group.rds.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_egress_rule" "service_to_kafka" {
  for_each                     = local.services
  security_group_id            = aws_security_group.service[each.key].id
  description                  = "Kafka (MSK, TLS listener)"
  referenced_security_group_id = aws_security_group.msk.id
  ip_protocol                  = "tcp"
  from_port                    = 9094
  to_port                      = 9094
}

# HTTPS out: AWS APIs through the VPC endpoints (private DNS) and, through NAT, the OIDC issuer (and, for
# crypto-service, customers' key services outside AWS). A security group cannot name a host; the KMS
# endpoint itself admits crypto-service alone, and only crypto-service's role holds KMS permissions.
resource "aws_vpc_security_group_egress_rule" "service_https" {
  for_each          = local.services
  security_group_id = aws_security_group.service[each.key].id
  description       = "HTTPS: AWS APIs (VPC endpoints) and the OIDC issuer"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "metrics_scraper" {
  # SERVICE/SCRAPER -> [SERVICE, SCRAPER]
  for_each                     = { for pair in setproduct(keys(local.services), var.metrics_scraper_security_group_ids) : join("/", pair) => pair }
  security_group_id            = aws_security_group.service[each.value[0]].id
  description                  = "Prometheus scrapes /q/metrics on the management port"
  referenced_security_group_id = each.value[1]
  ip_protocol                  = "tcp"
  from_port                    = 9000
  to_port                      = 9000
}

resource "aws_security_group" "rds" {
  name        = "${local.name}-rds"
  description = "PostgreSQL: 5432 from the Spalce tasks only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "rds_from_service" {
  for_each                     = local.services
  security_group_id            = aws_security_group.rds.id
  description                  = "PostgreSQL from ${each.key}"
  referenced_security_group_id = aws_security_group.service[each.key].id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_security_group" "msk" {
  name        = "${local.name}-msk"
  description = "Kafka brokers: TLS 9094 from the Spalce tasks only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "msk_from_service" {
  for_each                     = local.services
  security_group_id            = aws_security_group.msk.id
  description                  = "Kafka TLS from ${each.key}"
  referenced_security_group_id = aws_security_group.service[each.key].id
  ip_protocol                  = "tcp"
  from_port                    = 9094
  to_port                      = 9094
}

resource "aws_security_group" "endpoints" {
  name        = "${local.name}-endpoints"
  description = "VPC interface endpoints (Secrets Manager, ECR, CloudWatch Logs): HTTPS from the Spalce tasks"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_service" {
  for_each                     = local.services
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from ${each.key}"
  referenced_security_group_id = aws_security_group.service[each.key].id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_security_group" "kms_endpoint" {
  name        = "${local.name}-kms-endpoint"
  description = "VPC interface endpoint of KMS: HTTPS from crypto-service only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "kms_endpoint_from_crypto" {
  security_group_id            = aws_security_group.kms_endpoint.id
  description                  = "HTTPS from crypto-service"
  referenced_security_group_id = aws_security_group.service["crypto-service"].id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}
