# Invite the client's sales lead: Kakiyo e-mails a magic link to the
# agency's portal.
resource "kakiyo_workspace_client" "acme_lead" {
  workspace_id = kakiyo_workspace.acme.id
  email        = "jane.doe@acme.example"
}
