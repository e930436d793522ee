# Test the endpoint each time the webhook is created or its URL changes
# (Terraform 1.14 and later).
resource "terraform_data" "crm_webhook_test" {
  input = kakiyo_webhook.crm.url

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.kakiyo_webhook_test.crm]
    }
  }
}
