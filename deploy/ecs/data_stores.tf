# PostgreSQL (RDS) and Kafka (MSK): in the data subnets, encrypted at rest with Spalce's data key, reachable
# only from the Spalce tasks' security groups, never from the internet.

resource "aws_db_subnet_group" "main" {
  name        = local.name
  description = "Data subnets of ${local.name}"
  subnet_ids  = aws_subnet.data[*].id
}

resource "aws_db_parameter_group" "main" {
  name   = local.name
  family = "postgres16"

  # TLS only: the server refuses unencrypted connections.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }
}

resource "aws_db_instance" "main" {
  identifier     = local.name
  engine         = "postgres"
  engine_version = var.postgres_version
  instance_class = var.db_instance_class

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_allocated_storage * 4
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.data.arn

  db_name  = var.db_name
  username = var.db_admin_user
  # RDS generates the master (migration) password and keeps it in Secrets Manager, under Spalce's secrets
  # key: it never appears in this code or in the Terraform state.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.secrets.arn

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.rds.id]
  publicly_accessible    = false
  multi_az               = var.db_multi_az
  parameter_group_name   = aws_db_parameter_group.main.name

  backup_retention_period         = 14
  copy_tags_to_snapshot           = true
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${local.name}-final"
  auto_minor_version_upgrade      = true
  enabled_cloudwatch_logs_exports = ["postgresql"]

  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.data.arn
}

resource "aws_msk_configuration" "main" {
  name           = local.name
  kafka_versions = [var.kafka_version]

  # Topics are created from their one definition (dev.spalce.contracts.Topic), never on first use.
  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    unclean.leader.election.enable=false
    allow.everyone.if.no.acl.found=false
  PROPERTIES
}

resource "aws_msk_cluster" "main" {
  cluster_name           = local.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = length(var.availability_zones)

  broker_node_group_info {
    instance_type   = var.msk_instance_type
    client_subnets  = aws_subnet.data[*].id
    security_groups = [aws_security_group.msk.id]

    storage_info {
      ebs_storage_info {
        volume_size = var.msk_volume_size
      }
    }

    connectivity_info {
      public_access {
        type = "DISABLED"
      }
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.data.arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  # Every client authenticates with its internal certificate (mutual TLS), issued by the internal Private CA
  # (pki.tf): the same key pair the service presents on its internal HTTP hops. The principal is the
  # certificate's subject (User:CN=SERVICE), which the topic ACLs name (deploy/README.md, "Kafka ACLs").
  # Mutual TLS rather than IAM or SCRAM: the services' Kafka clients already hold that key pair, IAM
  # would add AWS's SASL library and credentials to three services that otherwise call no AWS API, and
  # SCRAM would add one more password per service.
  client_authentication {
    unauthenticated = false

    tls {
      certificate_authority_arns = [aws_acmpca_certificate_authority.internal.arn]
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.main.arn
    revision = aws_msk_configuration.main.latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.msk.name
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "msk" {
  name              = "/spalce/${var.environment}/msk"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}
