# Terraform 1.12 and later, OpenTofu 1.12 and later: adopt an existing webhook
# by its identity.
import {
  to = kakiyo_webhook.crm
  identity = {
    id = "69724b7100331796aae3"
  }
}
