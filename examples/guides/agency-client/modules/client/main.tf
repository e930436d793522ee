# One agency client: its workspace, its contact person, its agents (each
# assigned to the workspace), and a campaign per agent.
terraform {
  required_providers {
    kakiyo = { source = "kakiyo/kakiyo" }
  }
}

resource "kakiyo_workspace" "this" {
  name                = var.name
  deletion_protection = var.deletion_protection
}

resource "kakiyo_workspace_client" "contact" {
  workspace_id = kakiyo_workspace.this.id
  email        = var.contact_email
}

resource "kakiyo_agent" "this" {
  for_each = var.agents

  working_hours = { days = each.value.days, start = each.value.start, stop = each.value.stop }
}

resource "kakiyo_workspace_agent" "this" {
  for_each = kakiyo_agent.this

  workspace_id = kakiyo_workspace.this.id
  agent_id     = each.value.id
}

resource "kakiyo_campaign" "this" {
  for_each = var.agents

  name       = "${var.name} ${each.key}"
  agent_id   = kakiyo_agent.this[each.key].id
  product_id = var.product_id
  prompt_id  = var.prompt_id

  variables = {
    painPoint = each.value.pain_point
  }
}
