# Terraform 1.12 and later, OpenTofu 1.12 and later: adopt an existing
# workspace by its identity.
import {
  to = kakiyo_workspace.acme
  identity = {
    id = "680321c8001e2f527d90"
  }
}
