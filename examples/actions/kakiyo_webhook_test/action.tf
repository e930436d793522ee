# Send a sample prospect.qualified payload to the team's active webhooks
# (Terraform 1.14 and later):
#   terraform apply -invoke=action.kakiyo_webhook_test.crm
action "kakiyo_webhook_test" "crm" {
  config {
    event      = "prospect.qualified"
    webhook_id = kakiyo_webhook.crm.id # fail early if Kakiyo disabled it
  }
}
