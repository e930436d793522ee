# Terraform 1.12 and later, OpenTofu 1.12 and later: adopt an existing
# assignment of an agent to a workspace by its identity.
import {
  to = kakiyo_workspace_agent.acme_sales
  identity = {
    workspace_id = "680321c8001e2f527d90"
    agent_id     = "69724b7100331796aae2"
  }
}
