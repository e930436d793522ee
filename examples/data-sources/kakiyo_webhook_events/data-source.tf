# The webhook event types Kakiyo's API documents.
data "kakiyo_webhook_events" "all" {}

output "webhook_event_ids" {
  value = data.kakiyo_webhook_events.all.events[*].id
}
