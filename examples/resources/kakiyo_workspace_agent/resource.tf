# Let the client see the work of the agency's agent.
resource "kakiyo_workspace_agent" "acme_sales" {
  workspace_id = kakiyo_workspace.acme.id
  agent_id     = kakiyo_agent.sales.id
}
