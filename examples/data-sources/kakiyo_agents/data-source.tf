# Bulk cleanup of ended agents, the Terraform way (Terraform 1.7 or later):
#
#   terraform apply     adopts every ended agent of the team (changes nothing in Kakiyo)
#   terraform destroy   deletes them, one DELETE per agent
#
# Only ended agents are listed, so Kakiyo accepts every delete; agents in any
# other status are never touched.
data "kakiyo_agents" "ended" {
  status = "ended"
}

import {
  for_each = toset(data.kakiyo_agents.ended.ids)
  to       = kakiyo_agent.ended[each.key]
  id       = each.key
}

resource "kakiyo_agent" "ended" {
  for_each = toset(data.kakiyo_agents.ended.ids)
}

output "ended_agents" {
  value = data.kakiyo_agents.ended.ids
}
