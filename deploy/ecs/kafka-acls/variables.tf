variable "bootstrap_servers" {
  description = "MSK's TLS brokers (host:9094), as the main module's output msk_bootstrap_brokers_tls lists them."
  type        = list(string)
}

variable "ca_certificate_file" {
  description = "The internal CA's certificate (PEM), which issued the brokers' client CA and the admin's certificate."
  type        = string
}

variable "admin_certificate_file" {
  description = "The admin identity's certificate (PEM, subject CN=spalce-admin) from the internal Private CA."
  type        = string
}

variable "admin_private_key_file" {
  description = "The admin identity's private key (PEM). Kept on the runner only, never in a variable's value."
  type        = string
}
