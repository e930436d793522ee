# Terraform 1.11 and later: a signing secret that never reaches the plan or
# the state. Kakiyo signs each delivery with it (X-Kakiyo-Signature). Bump
# secret_wo_version after rotating the secret to send the new one.
variable "crm_webhook_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "kakiyo_webhook" "signed" {
  name              = "CRM (signed)"
  url               = "https://crm.example.com/hooks/kakiyo-signed"
  events            = ["*"]
  secret_wo         = var.crm_webhook_secret
  secret_wo_version = 1
}
