# Who may write and read each topic, and which consumer groups each service may use: exactly
# dev.spalce.contracts.TopicAccess, the set the local broker and the tests run with (deploy/checks compares the two).
# MSK's principal is the certificate's subject: User:CN=SERVICE (the ECS certificates carry the CN only, pki.tf).
# Anything not granted here is refused (allow.everyone.if.no.acl.found=false in the cluster's configuration).
# A literal map, not a for expression: the checks read it.
locals {
  acls = {
    # spalce.audit.v1: every service writes (through its outbox); only audit-log-service reads.
    "audit-write-auth-gateway"      = { type = "Topic", name = "spalce.audit.v1", pattern = "Literal", principal = "User:CN=auth-gateway", operation = "Write" }
    "audit-write-evidence-service"  = { type = "Topic", name = "spalce.audit.v1", pattern = "Literal", principal = "User:CN=evidence-service", operation = "Write" }
    "audit-write-crypto-service"    = { type = "Topic", name = "spalce.audit.v1", pattern = "Literal", principal = "User:CN=crypto-service", operation = "Write" }
    "audit-write-rewrap-worker"     = { type = "Topic", name = "spalce.audit.v1", pattern = "Literal", principal = "User:CN=rewrap-worker", operation = "Write" }
    "audit-write-audit-log-service" = { type = "Topic", name = "spalce.audit.v1", pattern = "Literal", principal = "User:CN=audit-log-service", operation = "Write" }
    "audit-read-audit-log-service"  = { type = "Topic", name = "spalce.audit.v1", pattern = "Literal", principal = "User:CN=audit-log-service", operation = "Read" }
    "audit-dlq-write"               = { type = "Topic", name = "spalce.audit.v1.dlq", pattern = "Literal", principal = "User:CN=audit-log-service", operation = "Write" }
    # spalce.keys.v1: crypto-service (cmk.registered, cmk.rotated) and the gateway (rewrap.requested) write;
    # rewrap-worker reads.
    "keys-write-crypto-service" = { type = "Topic", name = "spalce.keys.v1", pattern = "Literal", principal = "User:CN=crypto-service", operation = "Write" }
    "keys-write-auth-gateway"   = { type = "Topic", name = "spalce.keys.v1", pattern = "Literal", principal = "User:CN=auth-gateway", operation = "Write" }
    "keys-read-rewrap-worker"   = { type = "Topic", name = "spalce.keys.v1", pattern = "Literal", principal = "User:CN=rewrap-worker", operation = "Read" }
    # spalce.rewrap.progress.v1: rewrap-worker writes, the gateway reads.
    "progress-write-rewrap-worker" = { type = "Topic", name = "spalce.rewrap.progress.v1", pattern = "Literal", principal = "User:CN=rewrap-worker", operation = "Write" }
    "progress-read-auth-gateway"   = { type = "Topic", name = "spalce.rewrap.progress.v1", pattern = "Literal", principal = "User:CN=auth-gateway", operation = "Read" }
    # spalce.audit.checkpoints.v1: audit-log-service writes (a customer's witness gets an ACL of its own).
    "checkpoints-write" = { type = "Topic", name = "spalce.audit.checkpoints.v1", pattern = "Literal", principal = "User:CN=audit-log-service", operation = "Write" }
    # Consumer groups: each consumer its own, by name; the gateway's instances each take auth-gateway-<uuid>.
    "group-audit-log-service" = { type = "Group", name = "audit-log-service", pattern = "Literal", principal = "User:CN=audit-log-service", operation = "Read" }
    "group-rewrap-worker"     = { type = "Group", name = "rewrap-worker", pattern = "Literal", principal = "User:CN=rewrap-worker", operation = "Read" }
    "group-auth-gateway"      = { type = "Group", name = "auth-gateway-", pattern = "Prefixed", principal = "User:CN=auth-gateway", operation = "Read" }
  }
}

resource "kafka_acl" "spalce" {
  for_each = local.acls

  resource_name                = each.value.name
  resource_type                = each.value.type
  resource_pattern_type_filter = each.value.pattern
  acl_principal                = each.value.principal
  acl_host                     = "*"
  acl_operation                = each.value.operation
  acl_permission_type          = "Allow"
}
