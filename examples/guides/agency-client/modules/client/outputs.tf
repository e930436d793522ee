output "workspace_id" {
  value = kakiyo_workspace.this.id
}

output "portal_url" {
  description = "The link Kakiyo e-mailed to the client's contact."
  value       = kakiyo_workspace_client.contact.portal_url
}

output "agent_ids" {
  value = { for k, a in kakiyo_agent.this : k => a.id }
}

output "campaign_ids" {
  value = { for k, c in kakiyo_campaign.this : k => c.id }
}
