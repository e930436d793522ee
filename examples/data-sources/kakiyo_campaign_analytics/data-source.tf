# How the campaign is doing: one call (GET /analytics/campaigns/{id}).
data "kakiyo_campaign_analytics" "acme_q4" {
  id = kakiyo_campaign.acme_q4.id
}

output "acme_q4_response_rate" {
  description = "Prospects who answered, in percent."
  value       = data.kakiyo_campaign_analytics.acme_q4.metrics.response_rate
}

output "acme_q4_last_7_days" {
  value = data.kakiyo_campaign_analytics.acme_q4.activity.last_7_days
}
