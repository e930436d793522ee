# Terraform 1.5 and later: adopt an existing agent with an import block.
import {
  to = kakiyo_agent.sales
  id = "69724b7100331796aae2"
}
