# Fleet health checks (Terraform 1.5 and later, OpenTofu). A failed check is
# a warning, never an error: plans and applies go on, and HCP Terraform's
# health assessments (which run these checks on a schedule, in refresh-only
# plans) report it and can notify the team.

variable "min_response_rate" {
  description = "Lowest acceptable response rate of a campaign, in percent."
  type        = number
  default     = 10
}

variable "min_prospects" {
  description = "Prospects a campaign must have reached before its rate is judged."
  type        = number
  default     = 50
}

# No agent of the team is disabled: one listing, whatever the size of the
# team.
check "no_disabled_agent" {
  data "kakiyo_agents" "disabled" {
    status = "disabled"
  }

  assert {
    condition     = length(data.kakiyo_agents.disabled.ids) == 0
    error_message = "Kakiyo disabled these agents: ${join(", ", data.kakiyo_agents.disabled.ids)}."
  }
}

# The sales agent raises no alert (such as a LinkedIn two-factor request)
# and is not disabled.
check "sales_agent_healthy" {
  data "kakiyo_agent" "sales" {
    id = kakiyo_agent.sales.id
  }

  assert {
    condition     = length(data.kakiyo_agent.sales.alerts) == 0
    error_message = "Agent ${data.kakiyo_agent.sales.id} has alerts: ${join("; ", [for a in data.kakiyo_agent.sales.alerts : "${a.sub_type}: ${a.message}"])}."
  }

  assert {
    condition     = data.kakiyo_agent.sales.status != "disabled"
    error_message = "Agent ${data.kakiyo_agent.sales.id} is disabled."
  }
}

# Kakiyo disables a webhook after four failed deliveries in a row; the next
# apply re-enables it, and this check says so in the meantime.
check "crm_webhook_active" {
  assert {
    condition     = kakiyo_webhook.crm.active
    error_message = "Kakiyo disabled webhook ${kakiyo_webhook.crm.id} (${kakiyo_webhook.crm.url}) after failed deliveries."
  }
}

# The campaign still gets answers: one GET /analytics/campaigns/{id}.
check "acme_q4_response_rate" {
  data "kakiyo_campaign_analytics" "acme_q4" {
    id = kakiyo_campaign.acme_q4.id
  }

  assert {
    condition = (
      coalesce(data.kakiyo_campaign_analytics.acme_q4.metrics.total_prospects, 0) < var.min_prospects ||
      coalesce(data.kakiyo_campaign_analytics.acme_q4.metrics.response_rate, 0) >= var.min_response_rate
    )
    error_message = "Campaign ${data.kakiyo_campaign_analytics.acme_q4.name} answers at ${coalesce(data.kakiyo_campaign_analytics.acme_q4.metrics.response_rate, 0)}% over ${coalesce(data.kakiyo_campaign_analytics.acme_q4.metrics.total_prospects, 0)} prospects, under ${var.min_response_rate}%."
  }
}
