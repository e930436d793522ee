# Terraform 1.12 and later, OpenTofu 1.12 and later: adopt an existing agent
# by its identity.
import {
  to = kakiyo_agent.sales
  identity = {
    id = "69724b7100331796aae2"
  }
}
