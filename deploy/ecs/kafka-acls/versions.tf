# The Kafka ACLs of the MSK cluster (../data_stores.tf), as Terraform: a root module of its own, because the
# provider talks to the brokers themselves (Kafka's admin API), which only a runner inside the VPC can reach, while
# the main module must stay plannable from anywhere. Apply it after the main module, from inside the VPC
# (deploy/README.md, "Kafka ACLs").
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    kafka = {
      source  = "Mongey/kafka"
      version = "~> 0.8"
    }
  }

  # State holds the ACLs and the brokers' addresses, never a key (the provider reads its key pair from files).
  backend "s3" {}
}

# The admin identity (CN=spalce-admin, issued by the internal Private CA like the services' certificates): the one
# principal allowed to alter ACLs. Its key pair is read from files on the runner and never reaches the state.
provider "kafka" {
  bootstrap_servers = var.bootstrap_servers
  tls_enabled       = true
  skip_tls_verify   = false
  ca_cert           = file(var.ca_certificate_file)
  client_cert       = file(var.admin_certificate_file)
  client_key        = file(var.admin_private_key_file)
}
