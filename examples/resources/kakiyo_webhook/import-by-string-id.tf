# Terraform 1.5 and later: adopt an existing webhook with an import block, by
# its id.
import {
  to = kakiyo_webhook.crm
  id = "69724b7100331796aae3"
}
