# Terraform 1.12 and later, OpenTofu 1.12 and later: adopt an existing
# client's membership of a workspace by its identity.
import {
  to = kakiyo_workspace_client.acme_lead
  identity = {
    workspace_id = "680321c8001e2f527d90"
    email        = "jane.doe@acme.example"
  }
}
