# Terraform 1.5 and later: adopt an existing client's membership of a
# workspace with an import block, as "<workspace_id>/<email>".
import {
  to = kakiyo_workspace_client.acme_lead
  id = "680321c8001e2f527d90/jane.doe@acme.example"
}
