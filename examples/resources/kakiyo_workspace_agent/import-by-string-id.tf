# Terraform 1.5 and later: adopt an existing assignment of an agent to a
# workspace with an import block, as "<workspace_id>/<agent_id>".
import {
  to = kakiyo_workspace_agent.acme_sales
  id = "680321c8001e2f527d90/69724b7100331796aae2"
}
