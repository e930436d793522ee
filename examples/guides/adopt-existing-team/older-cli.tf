# Terraform 1.7 to 1.13 (no terraform query): adopt every agent of the team
# that is not ended, with one listing. The first apply imports them and
# changes nothing in Kakiyo; their settings can then be written into the
# resource block (or one block per agent, with moved blocks).
data "kakiyo_agents" "team" {}

locals {
  team_agent_ids = toset([for a in data.kakiyo_agents.team.agents : a.id if a.status != "ended"])
}

import {
  for_each = local.team_agent_ids
  to       = kakiyo_agent.team[each.key]
  id       = each.key
}

resource "kakiyo_agent" "team" {
  for_each = local.team_agent_ids
}
