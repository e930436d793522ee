# Terraform 1.5 and later: adopt an existing workspace with an import block,
# by its id.
import {
  to = kakiyo_workspace.acme
  id = "680321c8001e2f527d90"
}
